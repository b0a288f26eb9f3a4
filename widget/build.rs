//! The style sheets (the widget's, its parts') as compiled into the wasm: without its comments and with each run of white
//! space as one space (half a KB less to download; the source keeps its comments).

use std::{env, fs, path::Path};

fn main() {
    for sheet in ["style.css", "parts.css"] {
        println!("cargo::rerun-if-changed=src/{sheet}");
        let css = fs::read_to_string(Path::new("src").join(sheet)).expect(sheet);
        let mut compact = String::with_capacity(css.len());
        let mut rest = css.as_str();
        while let Some(start) = rest.find("/*") {
            compact.push_str(&rest[..start]);
            let end = rest[start..].find("*/").map_or(rest.len(), |end| start + end + 2);
            rest = &rest[end..];
        }
        compact.push_str(rest);
        let compact = compact.split_whitespace().collect::<Vec<_>>().join(" ");
        let out = env::var("OUT_DIR").expect("OUT_DIR");
        fs::write(Path::new(&out).join(sheet), compact).expect("the compact style sheet");
    }
}
