//! Installs what the project needs, at pinned versions, only when missing: a second run
//! costs a few version checks.

use std::path::PathBuf;
use std::process::Command;

use crate::{output, root, run, Result};

pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
/// Runs the widget's component tests (`wasm-pack test`).
pub const WASM_PACK_VERSION: &str = "0.15.1";
/// Must match `tests/fuzz/requirements.txt`.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Everything needed to build and run the edge and the widget.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", WASM_BINDGEN_VERSION)?;
    ensure_cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION)?;
    ensure_node_modules()
}

/// What the tests need beyond the build: wasm-pack for the widget's component tests.
pub fn ensure_test_tools() -> Result<()> {
    ensure_cargo_tool("wasm-pack", "wasm-pack", WASM_PACK_VERSION)
}

/// Debian's Chromium and ChromeDriver, for the browser tests.
pub fn ensure_browser() -> Result<()> {
    if PathBuf::from("/usr/bin/chromium").exists() && PathBuf::from("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    println!("xtask: installing chromium and chromium-driver from Debian");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The wasm target, and the standard library's source, which the wasm apps compile with them.
fn ensure_wasm_target() -> Result<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let components = output(Command::new("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if !components.lines().any(|line| line.trim().starts_with("rust-src")) {
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// `cargo install` of an exact version. Some registries lack a dependency version that a
/// tool's lockfile pins; then the install is retried with fresh resolution.
fn ensure_cargo_tool(package: &str, binary: &str, version: &str) -> Result<()> {
    let current = output(Command::new(binary).arg("--version")).unwrap_or_default();
    if current.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    println!("xtask: installing {package} {version} (several minutes, once)");
    let install = |locked: bool| {
        let mut command = Command::new("cargo");
        command.args(["install", package, "--version", version, "--force"]);
        if locked {
            command.arg("--locked");
        }
        run(&mut command)
    };
    install(true).or_else(|_| {
        println!("xtask: the locked install failed; retrying {package} without --locked");
        install(false)
    })
}

/// `npm ci` when `node_modules` is missing or older than the lockfile.
fn ensure_node_modules() -> Result<()> {
    let root = root();
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let lock = modified(root.join("package-lock.json"));
    let installed = modified(root.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= lock && node_bin("wrangler").exists() {
        return Ok(());
    }
    println!("xtask: installing npm packages from package-lock.json");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}

/// Schemathesis, for the fuzzing gate: in a virtualenv of its own under `target/`, from the
/// pinned requirements in `tests/fuzz` (PyPI). Answers the path of its `st` command.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = root().join("target/schemathesis");
    let st = venv.join("bin/st");
    let current = output(Command::new(&st).arg("--version")).unwrap_or_default();
    if current.split_whitespace().any(|word| word == SCHEMATHESIS_VERSION) {
        return Ok(st);
    }
    println!("xtask: installing schemathesis {SCHEMATHESIS_VERSION} from PyPI into target/schemathesis (once)");
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "--requirement"])
        .arg(root().join("tests/fuzz/requirements.txt")))?;
    Ok(st)
}

/// A binary installed by npm.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// A binary on the PATH, resolved to its full path.
pub fn which(name: &str) -> Result<PathBuf> {
    output(Command::new("which").arg(name))
        .map(|path| PathBuf::from(path.trim()))
        .filter(|path| !path.as_os_str().is_empty())
        .ok_or_else(|| format!("{name} is not on the PATH").into())
}
