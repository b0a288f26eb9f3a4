//! Rewrites of a wasm module around wasm-bindgen.
//!
//! Before it: drops exports, so that what only they reach is removed as dead code (the
//! `leptos` crate always brings `server_fn`, whose streaming bodies export wasm-streams'
//! `IntoUnderlying*` classes; the widget and the console have no server functions, and those
//! exports kept 1 KB gzip of code alive in the widget); and drops the linker's relocations
//! where no wasm-split reads them (wasm-opt does not optimise a module that has them).
//!
//! After it: gives the imports from its JavaScript short names, in the module and in the
//! JavaScript alike. wasm-bindgen names each `__wbg_{function}_{16 hex digits}`, and 180 such
//! names, each twice and their digits incompressible, weighed 5 KB gzip of the widget.

/// Reads an unsigned LEB128 number at `*at`, moving past it.
fn read_leb(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn write_leb(mut value: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads a name (its length, then its bytes) at `*at`, moving past it.
fn read_name<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let length = read_leb(bytes, at)? as usize;
    let name = bytes.get(*at..*at + length)?;
    *at += length;
    Some(name)
}

fn write_name(name: &[u8], out: &mut Vec<u8>) {
    write_leb(name.len() as u32, out);
    out.extend_from_slice(name);
}

const CUSTOM_SECTION: u8 = 0;
const IMPORT_SECTION: u8 = 2;
const EXPORT_SECTION: u8 = 7;

/// The sections of a module as (id, body), after its 8-byte header; `None` if it is no wasm
/// module.
fn sections(module: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut sections = Vec::new();
    let mut at = 8;
    module.get(..8)?;
    while at < module.len() {
        let id = module[at];
        at += 1;
        let size = read_leb(module, &mut at)? as usize;
        sections.push((id, module.get(at..at + size)?));
        at += size;
    }
    Some(sections)
}

fn push_section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    write_leb(body.len() as u32, out);
    out.extend_from_slice(body);
}

/// `module` with each section of kind `id` as `rewrite` answers it, the others as they are;
/// `None` if it is no wasm module or `rewrite` answers `None`.
fn rewriting(module: &[u8], id: u8, mut rewrite: impl FnMut(&[u8]) -> Option<Vec<u8>>) -> Option<Vec<u8>> {
    let mut out = module.get(..8)?.to_vec();
    for (section_id, body) in sections(module)? {
        match section_id == id {
            true => push_section(id, &rewrite(body)?, &mut out),
            false => push_section(section_id, body, &mut out),
        }
    }
    Some(out)
}

/// `module` without the exports whose names contain `fragment`; `None` if it is no wasm module.
pub fn without_exports(module: &[u8], fragment: &str) -> Option<Vec<u8>> {
    rewriting(module, EXPORT_SECTION, |body| {
        let mut cursor = 0;
        let count = read_leb(body, &mut cursor)?;
        let mut kept = Vec::new();
        let mut kept_count = 0;
        for _ in 0..count {
            let start = cursor;
            let name = read_name(body, &mut cursor)?;
            cursor += 1; // the kind of what is exported
            read_leb(body, &mut cursor)?; // its index
            if !String::from_utf8_lossy(name).contains(fragment) {
                kept.extend_from_slice(body.get(start..cursor)?);
                kept_count += 1;
            }
        }
        let mut section = Vec::new();
        write_leb(kept_count, &mut section);
        section.extend_from_slice(&kept);
        Some(section)
    })
}

/// `module` without the custom sections of `--emit-relocs` (`linking`, `reloc.*`).
pub fn without_relocations(module: &[u8]) -> Option<Vec<u8>> {
    let mut out = module.get(..8)?.to_vec();
    for (id, body) in sections(module)? {
        let mut cursor = 0;
        let name = match id {
            CUSTOM_SECTION => {
                let length = read_leb(body, &mut cursor)? as usize;
                body.get(cursor..cursor + length)?
            }
            _ => &[],
        };
        if name != b"linking" && !name.starts_with(b"reloc.") {
            push_section(id, body, &mut out);
        }
    }
    Some(out)
}

/// Moves past an import's description at `*at`: what is imported and its type.
fn skip_import_description(bytes: &[u8], at: &mut usize) -> Option<()> {
    let kind = *bytes.get(*at)?;
    *at += 1;
    match kind {
        // A function: its type.
        0 => {
            read_leb(bytes, at)?;
        }
        // A table (its element type, then its limits) or a memory (its limits).
        1 | 2 => {
            *at += usize::from(kind == 1);
            let flags = *bytes.get(*at)?;
            *at += 1;
            read_leb(bytes, at)?;
            if flags & 1 == 1 {
                read_leb(bytes, at)?;
            }
        }
        // A global: its value type and whether it changes.
        3 => *at += 2,
        // A tag: its attribute, then its type.
        4 => {
            *at += 1;
            read_leb(bytes, at)?;
        }
        _ => return None,
    }
    (*at <= bytes.len()).then_some(())
}

/// The `n`th short name: `a` to `Z`, then `aa`, `ab`…
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = vec![LETTERS[n % 52]];
    while n >= 52 {
        n = n / 52 - 1;
        name.insert(0, LETTERS[n % 52]);
    }
    String::from_utf8(name).unwrap_or_default()
}

/// Whether `byte` may continue a JavaScript identifier.
fn continues_identifier(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// `javascript` with each whole identifier `from` as `to`; `None` if there is none.
fn rename_identifier(javascript: &str, from: &str, to: &str) -> Option<String> {
    let bytes = javascript.as_bytes();
    let mut renamed = String::with_capacity(javascript.len());
    let mut copied = 0;
    for (at, _) in javascript.match_indices(from) {
        let before = at.checked_sub(1).map(|before| bytes[before]);
        let after = bytes.get(at + from.len()).copied();
        if before.is_some_and(continues_identifier) || after.is_some_and(continues_identifier) {
            continue;
        }
        renamed.push_str(&javascript[copied..at]);
        renamed.push_str(to);
        copied = at + from.len();
    }
    if copied == 0 {
        return None;
    }
    renamed.push_str(&javascript[copied..]);
    Some(renamed)
}

/// `module` and its wasm-bindgen `javascript` with every import from `from` (the JavaScript's
/// own name for itself, `./{name}_bg.js`) under a short name. `None` if the module is no wasm
/// module, or the JavaScript does not name one of those imports.
pub fn with_short_imports(module: &[u8], javascript: &str, from: &str) -> Option<(Vec<u8>, String)> {
    let mut javascript = javascript.to_string();
    let module = rewriting(module, IMPORT_SECTION, |body| {
        let mut cursor = 0;
        let count = read_leb(body, &mut cursor)?;
        let mut section = Vec::new();
        write_leb(count, &mut section);
        let mut renamed = 0;
        for _ in 0..count {
            let module_name = read_name(body, &mut cursor)?;
            let name = read_name(body, &mut cursor)?;
            let description = cursor;
            skip_import_description(body, &mut cursor)?;
            write_name(module_name, &mut section);
            if module_name == from.as_bytes() {
                let short = short_name(renamed);
                renamed += 1;
                javascript = rename_identifier(&javascript, std::str::from_utf8(name).ok()?, &short)?;
                write_name(short.as_bytes(), &mut section);
            } else {
                write_name(name, &mut section);
            }
            section.extend_from_slice(body.get(description..cursor)?);
        }
        Some(section)
    })?;
    Some((module, javascript))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with only an export section of (name, function index) entries.
    fn module(exports: &[(&str, u32)]) -> Vec<u8> {
        let mut section = Vec::new();
        write_leb(exports.len() as u32, &mut section);
        for (name, index) in exports {
            write_leb(name.len() as u32, &mut section);
            section.extend_from_slice(name.as_bytes());
            section.push(0);
            write_leb(*index, &mut section);
        }
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.push(EXPORT_SECTION);
        write_leb(section.len() as u32, &mut bytes);
        bytes.extend_from_slice(&section);
        bytes
    }

    #[test]
    fn named_exports_go_and_the_others_stay() {
        let before = module(&[
            ("start", 3),
            ("intounderlyingsink_write", 200),
            ("__wbg_intounderlyingsink_free", 7),
        ]);
        assert_eq!(
            without_exports(&before, "intounderlying"),
            Some(module(&[("start", 3)]))
        );
        assert_eq!(without_exports(&before, "nothing"), Some(before.clone()));
        assert_eq!(without_exports(&before[..5], "x"), None);
        assert_eq!(without_exports(&before[..before.len() - 1], "x"), None, "a cut section");
    }

    /// A module with only an import section of (module, name) functions of type 0, and a
    /// memory import after them.
    fn importing(imports: &[(&str, &str)]) -> Vec<u8> {
        let mut section = Vec::new();
        write_leb(imports.len() as u32 + 1, &mut section);
        for (module, name) in imports {
            write_name(module.as_bytes(), &mut section);
            write_name(name.as_bytes(), &mut section);
            section.extend_from_slice(&[0, 0]);
        }
        write_name(b"env", &mut section);
        write_name(b"memory", &mut section);
        section.extend_from_slice(&[2, 1, 17, 200, 1]); // limits 17 to 200 pages
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        push_section(IMPORT_SECTION, &section, &mut bytes);
        bytes
    }

    #[test]
    fn imports_from_the_javascript_get_short_names_in_both() {
        let glue = "const imports = { \"./app_bg.js\": { __wbg_now_0123456789abcdef: function() {}, \
                    __wbg_now_0123456789abcdef_x: 1, __wbg_log_fedcba9876543210() {} } };";
        let module = importing(&[
            ("./app_bg.js", "__wbg_now_0123456789abcdef"),
            ("./__wasm_split.js", "__wasm_split_load_parts"),
            ("./app_bg.js", "__wbg_log_fedcba9876543210"),
        ]);
        let (renamed, glue) = with_short_imports(&module, glue, "./app_bg.js").unwrap();
        assert_eq!(
            renamed,
            importing(&[
                ("./app_bg.js", "a"),
                ("./__wasm_split.js", "__wasm_split_load_parts"),
                ("./app_bg.js", "b")
            ])
        );
        assert_eq!(
            glue,
            "const imports = { \"./app_bg.js\": { a: function() {}, \
             __wbg_now_0123456789abcdef_x: 1, b() {} } };",
            "whole identifiers only"
        );
        assert_eq!(with_short_imports(&module, "no names", "./app_bg.js"), None);
        assert_eq!(
            with_short_imports(&module[..module.len() - 2], glue.as_str(), "./app_bg.js"),
            None
        );
    }

    #[test]
    fn short_names_are_letters_and_never_twice() {
        assert_eq!(
            [short_name(0), short_name(51), short_name(52), short_name(53)],
            ["a", "Z", "aa", "ab"]
        );
        let names: std::collections::HashSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
        assert!(names
            .iter()
            .all(|name| name.bytes().all(|byte| byte.is_ascii_alphabetic())));
    }

    #[test]
    fn relocations_go_and_the_other_sections_stay() {
        let exports = module(&[("start", 3)]);
        let custom = |name: &str| {
            let mut body = Vec::new();
            write_leb(name.len() as u32, &mut body);
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(b"data");
            let mut section = Vec::new();
            push_section(CUSTOM_SECTION, &body, &mut section);
            section
        };
        let with = |names: &[&str]| [exports.clone(), names.iter().flat_map(|name| custom(name)).collect()].concat();
        assert_eq!(
            without_relocations(&with(&["linking", "name", "reloc.CODE", "producers"])),
            Some(with(&["name", "producers"]))
        );
        assert_eq!(without_relocations(&exports[..5]), None);
    }
}
