//! Drops exports from a wasm module before wasm-bindgen, so that what only they reach is
//! removed as dead code. The `leptos` crate always brings `server_fn`, whose streaming
//! bodies export wasm-streams' `IntoUnderlying*` classes; the widget and the console have no
//! server functions, and those exports kept 1 KB gzip of code alive in the widget.

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

const EXPORT_SECTION: u8 = 7;

/// `module` without the exports whose names contain `fragment`; `None` if it is no wasm module.
pub fn without_exports(module: &[u8], fragment: &str) -> Option<Vec<u8>> {
    let mut out = module.get(..8)?.to_vec();
    let mut at = 8;
    while at < module.len() {
        let id = module[at];
        at += 1;
        let size = read_leb(module, &mut at)? as usize;
        let body = module.get(at..at + size)?;
        at += size;
        if id != EXPORT_SECTION {
            out.push(id);
            write_leb(size as u32, &mut out);
            out.extend_from_slice(body);
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
        out.push(EXPORT_SECTION);
        write_leb(section.len() as u32, &mut out);
        out.extend_from_slice(&section);
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
}
