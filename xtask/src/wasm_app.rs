//! The Leptos apps (the widget, the console) built for the browser: compiled to wasm, split
//! into chunks where asked, bound by wasm-bindgen, optimised for size, their JavaScript
//! minified; and the widget's files put in a directory named by their content.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::local_edge::public_dir;
use crate::tools::{node_bin, which};
use crate::{root, run, Result};

/// The widget's files the loader names (`/widget/{name}` in its source): its module and its
/// main wasm. The module loads the rest by relative names.
pub const WIDGET_FILES: [&str; 2] = ["nimchat_widget.js", "nimchat_widget_bg.wasm"];

/// The module that fetches an app's wasm chunks, beside the app's own (wasm-split writes it).
pub const CHUNK_LOADER: &str = "__wasm_split.js";

/// Whether an app's rarely used parts (its `split` feature) go to wasm chunks of their own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Chunks {
    One,
    Split,
}

/// A Leptos app as an ES module `{name}.js`, its wasm and, when split, its chunks
/// (`split_*.wasm`) and their loader, optimised for size: without the server-function
/// exports it never uses, and with short names for its imports (`wasm_module`).
///
/// The standard library is compiled with the app, so that a panic traps at once instead of
/// formatting a message, with no file names of panic locations and no `Debug` formatting:
/// the size settings of Leptos's guide, 16 KB gzip of the widget. They are unstable flags,
/// and the machines reach only the stable toolchain, hence `RUSTC_BOOTSTRAP` for this build
/// alone (the component tests keep panics' messages). Both apps are linked with their
/// relocations, which wasm-split reads: the same flags keep one build of their dependencies.
pub fn build(package: &str, name: &str, out_dir: &Path, chunks: Chunks) -> Result<()> {
    let mut cargo = Command::new("cargo");
    cargo.args([
        "build",
        "--release",
        "--package",
        package,
        "--target",
        "wasm32-unknown-unknown",
        "-Zbuild-std=std,panic_abort",
    ]);
    if chunks == Chunks::Split {
        cargo.args(["--features", "split"]);
    }
    run(cargo
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "RUSTFLAGS",
            "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none \
             -Clink-arg=--emit-relocs",
        )
        .current_dir(root()))?;
    let compiled = root().join(format!("target/wasm32-unknown-unknown/release/{name}.wasm"));
    let linked = fs::read(&compiled)?;
    let trimmed = crate::wasm_module::without_exports(&linked, "intounderlying")
        .ok_or_else(|| format!("{}: not a wasm module", compiled.display()))?;
    let main = compiled.with_file_name(format!("{name}_main.wasm"));
    fs::create_dir_all(out_dir)?;
    match chunks {
        Chunks::One => fs::write(
            &main,
            crate::wasm_module::without_relocations(&trimmed).ok_or("not a wasm module")?,
        )?,
        Chunks::Split => {
            let module = format!("./{name}.js");
            let mut options = wasm_split_cli_support::Options::new(&trimmed);
            options.output_dir = out_dir;
            options.main_out_path = &main;
            options.main_module = &module;
            wasm_split_cli_support::transform(options).map_err(|error| format!("wasm-split: {error:#}"))?;
            minify(&out_dir.join(CHUNK_LOADER), "esm")?;
        }
    }
    let mut bindgen = Command::new(which("wasm-bindgen")?);
    if chunks == Chunks::Split {
        // The chunks call the main module's functions through its table.
        bindgen.arg("--keep-lld-exports");
    }
    run(bindgen
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out_dir)
        .arg(&main))?;
    let wasm = out_dir.join(format!("{name}_bg.wasm"));
    let javascript = out_dir.join(format!("{name}.js"));
    let (shortened, glue) = crate::wasm_module::with_short_imports(
        &fs::read(&wasm)?,
        &fs::read_to_string(&javascript)?,
        &format!("./{name}_bg.js"),
    )
    .ok_or_else(|| format!("{}: its imports could not be renamed", wasm.display()))?;
    fs::write(&wasm, shortened)?;
    fs::write(&javascript, glue)?;
    for entry in fs::read_dir(out_dir)? {
        let wasm = entry?.path();
        if wasm.extension().is_some_and(|extension| extension == "wasm") {
            optimise(&wasm)?;
        }
    }
    // wasm-bindgen's glue is readable JavaScript; minified it weighs a quarter less gzipped.
    minify(&javascript, "esm")
}

/// `wasm-opt` for size, in place.
fn optimise(wasm: &Path) -> Result<()> {
    // The features Rust's wasm32 target emits, named: `--all-features` would let wasm-opt use
    // encodings (compact imports) that browsers reject.
    let features = [
        "--enable-bulk-memory",
        "--enable-sign-ext",
        "--enable-nontrapping-float-to-int",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
    ];
    // After the size passes, flattening and re-looping the control flow lets two more find
    // what they could not (0.9 KB gzip of the widget, 4.1 KB of the console; 20 s more here).
    run(Command::new(node_bin("wasm-opt"))
        .args([
            "-Oz",
            "--flatten",
            "--rereloop",
            "-Oz",
            "-Oz",
            "--strip-debug",
            "--strip-producers",
        ])
        .args(features)
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// Minifies a JavaScript file in place (`format`: `esm` for a module, `iife` for a script).
pub fn minify(file: &Path, format: &str) -> Result<()> {
    run(Command::new(node_bin("esbuild"))
        .arg(file)
        .args(["--minify", "--log-level=warning", "--allow-overwrite"])
        .arg(format!("--format={format}"))
        .arg(format!("--outfile={}", file.display())))
}

/// Moves the widget's files into a directory named by the first 12 hex digits of their
/// content's SHA-256 (`widget/1a2b3c4d5e6f/`), so that browsers may keep them for a year (the
/// files name each other relatively, which a directory keeps), and answers the loader
/// pointing at them there.
pub fn name_by_content(widget_dir: &Path, loader: &str) -> Result<String> {
    use sha2::{Digest, Sha256};
    if let Some(name) = WIDGET_FILES
        .iter()
        .find(|name| !loader.contains(&format!("/widget/{name}")))
    {
        return Err(format!("the loader does not load /widget/{name}").into());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(widget_dir)? {
        files.push(entry?.path());
    }
    files.sort();
    let mut content = Sha256::new();
    for file in &files {
        content.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        content.update(fs::read(file)?);
    }
    let digest: String = content.finalize()[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let named = widget_dir.join(&digest);
    fs::create_dir(&named)?;
    for file in &files {
        fs::rename(file, named.join(file.file_name().unwrap_or_default()))?;
    }
    let mut loader = loader.to_string();
    for name in WIDGET_FILES {
        loader = loader.replace(&format!("/widget/{name}"), &format!("/widget/{digest}/{name}"));
    }
    Ok(loader)
}

/// The directory of the built widget's files in `edge/build/public/widget`.
pub fn built_widget_dir() -> Result<PathBuf> {
    for entry in fs::read_dir(public_dir().join("widget"))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if name.len() == 12 && name.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(path);
        }
    }
    Err("no built widget: run cargo xtask build-edge".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_points_at_the_files_in_a_directory_named_by_their_content() {
        let built = |chunk: &str| {
            let dir = std::env::temp_dir().join(format!("nimchat-hash-{}", crate::random_hex().unwrap()));
            fs::create_dir_all(&dir).unwrap();
            for name in WIDGET_FILES.iter().chain([&CHUNK_LOADER]) {
                fs::write(dir.join(name), name).unwrap();
            }
            fs::write(dir.join("split_extras.wasm"), chunk).unwrap();
            let loader = "import(b + \"/widget/nimchat_widget.js\"); fetch(b + \"/widget/nimchat_widget_bg.wasm\")";
            let written = name_by_content(&dir, loader).unwrap();
            let named: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
            assert_eq!(named.len(), 1, "only the named directory stays: {named:?}");
            let digest = named[0].file_name().unwrap().to_str().unwrap().to_string();
            assert_eq!(digest.len(), 12);
            for name in WIDGET_FILES {
                assert!(written.contains(&format!("\"/widget/{digest}/{name}\"")), "{written}");
            }
            assert!(named[0].join("split_extras.wasm").exists());
            assert!(name_by_content(&named[0], "no reference").is_err());
            fs::remove_dir_all(dir).unwrap();
            digest
        };
        // A change in any file, a chunk too, names another directory.
        assert_eq!(built("one"), built("one"));
        assert_ne!(built("one"), built("two"));
    }
}
