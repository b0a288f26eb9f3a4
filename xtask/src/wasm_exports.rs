//! Trims a wasm module before wasm-bindgen. Drops exports, so that what only they reach is
//! removed as dead code: the `leptos` crate always brings `server_fn`, whose streaming
//! bodies export wasm-streams' `IntoUnderlying*` classes; the widget and the console have no
//! server functions, and those exports kept 1 KB gzip of code alive in the widget. And drops
//! the linker's relocations where no wasm-split reads them: wasm-opt does not optimise a
//! module that has them.

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

const CUSTOM_SECTION: u8 = 0;
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

/// `module` without the exports whose names contain `fragment`; `None` if it is no wasm module.
pub fn without_exports(module: &[u8], fragment: &str) -> Option<Vec<u8>> {
    let mut out = module.get(..8)?.to_vec();
    for (id, body) in sections(module)? {
        if id != EXPORT_SECTION {
            push_section(id, body, &mut out);
            continue;
        }
        let mut cursor = 0;
        let count = read_leb(body, &mut cursor)?;
        let mut kept = Vec::new();
        let mut kept_count = 0;
        for _ in 0..count {
            let start = cursor;
            let name_length = read_leb(body, &mut cursor)? as usize;
            let name = body.get(cursor..cursor + name_length)?;
            cursor += name_length + 1; // the name, then the kind of what is exported
            read_leb(body, &mut cursor)?; // its index
            if !String::from_utf8_lossy(name).contains(fragment) {
                kept.extend_from_slice(&body[start..cursor]);
                kept_count += 1;
            }
        }
        let mut section = Vec::new();
        write_leb(kept_count, &mut section);
        section.extend_from_slice(&kept);
        push_section(EXPORT_SECTION, &section, &mut out);
    }
    Some(out)
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
