//! What an uploaded file is, decided from its first bytes (magic numbers), never from its
//! name or the type a client declares; what may be stored; and a safe name to keep it under.

/// Chatwoot's `file_type` of an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Image,
    Audio,
    Video,
    File,
}

impl FileType {
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Image => "image",
            FileType::Audio => "audio",
            FileType::Video => "video",
            FileType::File => "file",
        }
    }
}

/// A kind of file nimchat recognises.
#[derive(Debug, PartialEq, Eq)]
pub struct FileKind {
    pub mime: &'static str,
    /// The canonical extension first, then others a name of this kind may end with.
    pub extensions: &'static [&'static str],
    /// `Image` only for raster images a browser shows (and that are served inline).
    pub file_type: FileType,
}

impl FileKind {
    pub fn extension(&self) -> &'static str {
        self.extensions[0]
    }

    /// Only raster images are shown in place; everything else, SVG and HTML above all, is
    /// served as a download.
    pub fn inline(&self) -> bool {
        self.file_type == FileType::Image
    }
}

const fn kind(mime: &'static str, extensions: &'static [&'static str], file_type: FileType) -> FileKind {
    FileKind {
        mime,
        extensions,
        file_type,
    }
}

const PNG: FileKind = kind("image/png", &["png"], FileType::Image);
const JPEG: FileKind = kind("image/jpeg", &["jpg", "jpeg", "jpe"], FileType::Image);
const GIF: FileKind = kind("image/gif", &["gif"], FileType::Image);
const WEBP: FileKind = kind("image/webp", &["webp"], FileType::Image);
const BMP: FileKind = kind("image/bmp", &["bmp"], FileType::Image);
const AVIF: FileKind = kind("image/avif", &["avif"], FileType::Image);
const SVG: FileKind = kind("image/svg+xml", &["svg"], FileType::File);
const MP3: FileKind = kind("audio/mpeg", &["mp3"], FileType::Audio);
const OGG: FileKind = kind("audio/ogg", &["ogg", "oga", "opus"], FileType::Audio);
const WAV: FileKind = kind("audio/wav", &["wav"], FileType::Audio);
const FLAC: FileKind = kind("audio/flac", &["flac"], FileType::Audio);
const AAC: FileKind = kind("audio/aac", &["aac"], FileType::Audio);
const M4A: FileKind = kind("audio/mp4", &["m4a"], FileType::Audio);
const MP4: FileKind = kind("video/mp4", &["mp4", "m4v"], FileType::Video);
const MOV: FileKind = kind("video/quicktime", &["mov"], FileType::Video);
const THREE_GP: FileKind = kind("video/3gpp", &["3gp", "3g2"], FileType::Video);
const WEBM: FileKind = kind("video/webm", &["webm", "mkv", "weba"], FileType::Video);
const PDF: FileKind = kind("application/pdf", &["pdf"], FileType::File);
const RTF: FileKind = kind("application/rtf", &["rtf"], FileType::File);
const ZIP: FileKind = kind("application/zip", &["zip"], FileType::File);
const DOC: FileKind = kind("application/msword", &["doc"], FileType::File);
const XLS: FileKind = kind("application/vnd.ms-excel", &["xls"], FileType::File);
const PPT: FileKind = kind("application/vnd.ms-powerpoint", &["ppt"], FileType::File);
const DOCX: FileKind = kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    &["docx"],
    FileType::File,
);
const XLSX: FileKind = kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    &["xlsx"],
    FileType::File,
);
const PPTX: FileKind = kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    &["pptx"],
    FileType::File,
);
const ODT: FileKind = kind("application/vnd.oasis.opendocument.text", &["odt"], FileType::File);
const ODS: FileKind = kind(
    "application/vnd.oasis.opendocument.spreadsheet",
    &["ods"],
    FileType::File,
);
const ODP: FileKind = kind(
    "application/vnd.oasis.opendocument.presentation",
    &["odp"],
    FileType::File,
);
const HTML: FileKind = kind("text/html", &["html", "htm"], FileType::File);
const CSV: FileKind = kind("text/csv", &["csv"], FileType::File);
const TEXT: FileKind = kind(
    "text/plain",
    &["txt", "text", "md", "log", "json", "xml", "yaml", "yml", "ini", "conf"],
    FileType::File,
);

/// Containers whose bytes do not say which office format they hold: the name chooses among
/// these, all equally harmless.
const ZIP_DOCUMENTS: [&FileKind; 6] = [&DOCX, &XLSX, &PPTX, &ODT, &ODS, &ODP];
const OLE_DOCUMENTS: [&FileKind; 3] = [&DOC, &XLS, &PPT];

/// How many first bytes `sniff` and `image_size` want (a JPEG's size may sit behind its
/// metadata).
pub const HEAD_BYTES: usize = 64 * 1024;

/// What the file is, from its first bytes; `None` for anything else (programs, unknown
/// binaries), which is never stored.
pub fn sniff(head: &[u8], name: &str) -> Option<&'static FileKind> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    let by_name = |kinds: &[&'static FileKind]| kinds.iter().copied().find(|kind| named_as(name, kind));
    Some(match head {
        _ if starts(b"\x89PNG\r\n\x1a\n") => &PNG,
        _ if starts(&[0xFF, 0xD8, 0xFF]) => &JPEG,
        _ if starts(b"GIF87a") || starts(b"GIF89a") => &GIF,
        _ if starts(b"RIFF") && at(8, b"WEBP") => &WEBP,
        _ if starts(b"RIFF") && at(8, b"WAVE") => &WAV,
        _ if starts(b"BM") && matches!(head.get(14), Some(12 | 40 | 52 | 56 | 108 | 124)) => &BMP,
        _ if at(4, b"ftyp") => return iso_media(head.get(8..12)?),
        _ if starts(b"%PDF-") => &PDF,
        _ if starts(b"{\\rtf") => &RTF,
        _ if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") => by_name(&ZIP_DOCUMENTS).unwrap_or(&ZIP),
        _ if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) => return by_name(&OLE_DOCUMENTS),
        _ if starts(b"ID3") => &MP3,
        _ if starts(b"OggS") => &OGG,
        _ if starts(b"fLaC") => &FLAC,
        _ if starts(&[0x1A, 0x45, 0xDF, 0xA3]) => &WEBM,
        [0xFF, second, ..] if second & 0xF6 == 0xF0 => &AAC,
        [0xFF, second, ..] if second & 0xE0 == 0xE0 => &MP3,
        _ => return text(head, name),
    })
}

/// The ISO base media family (MP4, QuickTime, M4A, AVIF, 3GP) by its major brand.
fn iso_media(brand: &[u8]) -> Option<&'static FileKind> {
    Some(match brand {
        b"M4A " | b"M4B " => &M4A,
        b"qt  " => &MOV,
        b"avif" | b"avis" => &AVIF,
        b"heic" | b"heix" | b"mif1" | b"msf1" => return None,
        [b'3', b'g', ..] => &THREE_GP,
        _ => &MP4,
    })
}

/// Text: UTF-8 without control characters (a multi-byte character cut by the end of `head`
/// is fine). HTML and SVG are recognised so that they are never shown in place.
fn text(head: &[u8], name: &str) -> Option<&'static FileKind> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => std::str::from_utf8(&head[..error.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    if head.is_empty()
        || valid
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
    {
        return None;
    }
    let lower = valid.trim_start().to_ascii_lowercase();
    if looks_like_html(&lower) {
        Some(&HTML)
    } else if lower.starts_with("<svg") || (lower.starts_with("<?xml") && lower.contains("<svg")) {
        Some(&SVG)
    } else if named_as(name, &CSV) {
        Some(&CSV)
    } else {
        Some(&TEXT)
    }
}

/// WHATWG MIME sniffing's HTML signatures: one of these tags, then a space or `>`.
fn looks_like_html(lower: &str) -> bool {
    const TAGS: [&str; 17] = [
        "<!doctype html",
        "<html",
        "<head",
        "<script",
        "<iframe",
        "<h1",
        "<div",
        "<font",
        "<table",
        "<a",
        "<style",
        "<title",
        "<b",
        "<body",
        "<br",
        "<p",
        "<!--",
    ];
    TAGS.iter().any(|tag| {
        lower
            .strip_prefix(tag)
            .is_some_and(|rest| rest.starts_with([' ', '>', '\t', '\n', '\r']) || (*tag == "<!--"))
    })
}

fn named_as(name: &str, kind: &FileKind) -> bool {
    name_extension(name).is_some_and(|extension| kind.extensions.contains(&extension.as_str()))
}

fn name_extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
}

/// Whether a configured allow-list (`image/*,application/vnd.*,application/pdf`) takes
/// this type: a pattern ending in `*` takes every type it starts.
pub fn allowed(mime: &str, allow_list: &str) -> bool {
    allow_list
        .split(',')
        .map(str::trim)
        .any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => !prefix.is_empty() && mime.starts_with(prefix),
            None => pattern.eq_ignore_ascii_case(mime),
        })
}

/// Everything nimchat recognises: images, audio, video, PDF, office documents, text, CSV
/// and ZIP.
pub const DEFAULT_ALLOWED_TYPES: &str = "image/*,audio/*,video/*,application/pdf,application/rtf,\
    application/msword,application/vnd.*,application/zip,text/*";

/// The name a file is kept and offered under: no folders, no control characters, at most
/// 120 characters, and ending in an extension of what it really is (`photo.png` holding a
/// script becomes `photo.png.txt`).
pub fn stored_name(given: &str, kind: &FileKind) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(120)
        .collect();
    let name_trimmed = name.trim().trim_start_matches('.');
    name = if name_trimmed.is_empty() {
        "file".to_string()
    } else {
        name_trimmed.to_string()
    };
    if !named_as(&name, kind) {
        name.push('.');
        name.push_str(kind.extension());
    }
    name
}

/// Width and height of a PNG, GIF, WebP, BMP or JPEG, when its first bytes say them.
pub fn image_size(head: &[u8], kind: &FileKind) -> Option<(u32, u32)> {
    let le16 = |at: usize| Some(u32::from(u16::from_le_bytes(head.get(at..at + 2)?.try_into().ok()?)));
    let be32 = |at: usize| Some(u32::from_be_bytes(head.get(at..at + 4)?.try_into().ok()?));
    let le32 = |at: usize| Some(u32::from_le_bytes(head.get(at..at + 4)?.try_into().ok()?));
    let le24 = |at: usize| Some(le32(at)? & 0x00FF_FFFF);
    match kind.mime {
        "image/png" => Some((be32(16)?, be32(20)?)),
        "image/gif" => Some((le16(6)?, le16(8)?)),
        "image/bmp" => Some((le32(18)?, (le32(22)? as i32).unsigned_abs())),
        "image/webp" => match head.get(12..16)? {
            b"VP8 " => Some((le16(26)? & 0x3FFF, le16(28)? & 0x3FFF)),
            b"VP8L" => {
                let bits = le32(21)?;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            _ => None,
        },
        "image/jpeg" => jpeg_size(head),
        _ => None,
    }
}

/// Walks a JPEG's segments to its frame header (SOF0..SOF15 but DHT, JPG and DAC).
fn jpeg_size(head: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        let &[0xFF, marker, high, low] = head.get(at..at + 4)? else {
            return None;
        };
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let &[height_high, height_low, width_high, width_low] = head.get(at + 5..at + 9)? else {
                return None;
            };
            let size = |high, low| u32::from(u16::from_be_bytes([high, low]));
            return Some((size(width_high, width_low), size(height_high, height_low)));
        }
        at += 2 + usize::from(u16::from_be_bytes([high, low]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mime(head: &[u8], name: &str) -> Option<&'static str> {
        sniff(head, name).map(|kind| kind.mime)
    }

    #[test]
    fn bytes_decide_not_names() {
        assert_eq!(mime(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.pdf"), Some("image/png"));
        assert_eq!(mime(b"%PDF-1.7\n", "cv.png"), Some("application/pdf"));
        assert_eq!(mime(b"#!/bin/sh\nrm -rf ~\n", "photo.png"), Some("text/plain"));
        assert_eq!(mime(b"<script>alert(1)</script>", "photo.png"), Some("text/html"));
        assert_eq!(mime(b"  <!DOCTYPE html><html>", "x.txt"), Some("text/html"));
        assert_eq!(
            mime(b"<?xml version=\"1.0\"?>\n<svg xmlns=", "a.png"),
            Some("image/svg+xml")
        );
        assert_eq!(
            mime(b"name,email\nAda,ada@example.com\n", "people.csv"),
            Some("text/csv")
        );
        assert_eq!(mime("héllo wörld \u{2603}".as_bytes(), "notes.md"), Some("text/plain"));
    }

    #[test]
    fn programs_and_unknown_binaries_are_refused() {
        assert_eq!(mime(b"MZ\x90\0\x03\0\0\0\x04\0", "setup.exe"), None);
        assert_eq!(mime(b"\x7fELF\x02\x01\x01\0", "tool"), None);
        assert_eq!(mime(&[0x00, 0x01, 0x02, 0x03, 0x04], "data.txt"), None);
        assert_eq!(mime(b"", "empty.txt"), None);
        // An OLE container that names no office format (an .msi installer) is refused.
        assert_eq!(
            mime(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "setup.msi"),
            None
        );
        assert_eq!(
            mime(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "old.doc"),
            Some("application/msword")
        );
    }

    #[test]
    fn containers_take_the_office_format_their_name_says() {
        let zip = b"PK\x03\x04\x14\0\x06\0";
        assert_eq!(
            mime(zip, "report.DOCX"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(mime(zip, "photos.zip"), Some("application/zip"));
        assert_eq!(mime(zip, "trojan.exe"), Some("application/zip"));
    }

    #[test]
    fn media_families() {
        assert_eq!(mime(b"\0\0\0\x20ftypisom\0\0\x02\0", "clip"), Some("video/mp4"));
        assert_eq!(mime(b"\0\0\0\x20ftypM4A \0\0\0\0", "song"), Some("audio/mp4"));
        assert_eq!(mime(b"\0\0\0\x14ftypqt  \0\0\0\0", "clip"), Some("video/quicktime"));
        assert_eq!(mime(b"\0\0\0\x1cftypavif\0\0\0\0", "pic"), Some("image/avif"));
        assert_eq!(mime(b"\0\0\0\x18ftypheic\0\0\0\0", "pic"), None);
        assert_eq!(mime(b"ID3\x04\0\0\0\0\0", "song"), Some("audio/mpeg"));
        assert_eq!(mime(&[0xFF, 0xFB, 0x90, 0x64], "song"), Some("audio/mpeg"));
        assert_eq!(mime(&[0xFF, 0xF1, 0x50, 0x80], "song"), Some("audio/aac"));
        assert_eq!(mime(b"RIFF\x24\0\0\0WAVEfmt ", "a"), Some("audio/wav"));
        assert_eq!(mime(b"OggS\0\x02", "a"), Some("audio/ogg"));
        assert_eq!(mime(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F], "a"), Some("video/webm"));
    }

    #[test]
    fn only_raster_images_are_inline() {
        assert!(sniff(b"GIF89a\x01\0\x01\0", "a").unwrap().inline());
        assert!(!sniff(b"<svg onload=alert(1)>", "a.svg").unwrap().inline());
        assert!(!sniff(b"<html><body>", "a.html").unwrap().inline());
        assert_eq!(sniff(b"<svg>", "a").unwrap().file_type, FileType::File);
    }

    #[test]
    fn the_allow_list_takes_families_and_exact_types() {
        assert!(allowed("image/png", DEFAULT_ALLOWED_TYPES));
        assert!(allowed(DOCX.mime, DEFAULT_ALLOWED_TYPES));
        assert!(allowed("text/csv", DEFAULT_ALLOWED_TYPES));
        assert!(!allowed("application/pdf", "image/*, text/plain"));
        assert!(allowed("text/plain", "image/*, text/plain"));
    }

    #[test]
    fn stored_names_are_safe_and_truthful() {
        assert_eq!(stored_name("photo.png", &TEXT), "photo.png.txt");
        assert_eq!(stored_name("C:\\Users\\ada\\cv.PDF", &PDF), "cv.PDF");
        assert_eq!(stored_name("../../etc/passwd", &TEXT), "passwd.txt");
        assert_eq!(stored_name("a\"b<c>\n.jpg", &JPEG), "abc.jpg");
        assert_eq!(stored_name("", &PNG), "file.png");
        assert_eq!(stored_name("...", &PNG), "file.png");
        assert_eq!(stored_name("résumé.pdf", &PDF), "résumé.pdf");
        assert!(stored_name(&"x".repeat(500), &PDF).chars().count() <= 124);
    }

    #[test]
    fn image_sizes_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(image_size(&png, &PNG), Some((640, 480)));
        assert_eq!(image_size(b"GIF89a\x20\x03\x58\x02", &GIF), Some((800, 600)));
        // SOI, an APP0 segment of 16 bytes, then SOF0 with height 300 and width 400.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90]);
        assert_eq!(image_size(&jpeg, &JPEG), Some((400, 300)));
        assert_eq!(image_size(&jpeg[..10], &JPEG), None);
        assert_eq!(image_size(b"%PDF", &PDF), None);
    }
}
