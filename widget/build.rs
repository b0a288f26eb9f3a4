//! The style sheets (the widget's and its parts') as compiled into the wasm: without their
//! comments and with each run of white space as one space (half a KB less to download; the
//! sources keep their comments).

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    for sheet in ["style.css", "parts.css"] {
        println!("cargo::rerun-if-changed=src/{sheet}");
        let css = fs::read_to_string(Path::new("src").join(sheet)).expect(sheet);
        fs::write(Path::new(&out).join(sheet), compact(&css)).expect("the compact style sheet");
    }
}

fn compact(css: &str) -> String {
    let mut kept = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        kept.push_str(&rest[..start]);
        let end = rest[start..].find("*/").map_or(rest.len(), |end| start + end + 2);
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}
