//! Safe Markdown for agents' and bots' messages: the subset chat needs (bold, italic, inline
//! code, links, lists, line breaks), parsed into plain values that a view turns into text nodes
//! and elements. Nothing here produces HTML: markup in a message stays text, and links are
//! only `http(s)` addresses. Inline styles do not nest (`**bold _italic_**` is bold text with
//! underscores), which keeps the parser and the widget's renderer small.
//!
//! Scans are by byte over ASCII delimiters (no Unicode tables): the widget is weighed in KB.

/// A paragraph, or a list of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Emphasis(String),
    Code(String),
    /// An `http(s)` link: written `[text](href)`, or a bare address (`text` is the address).
    Link {
        text: String,
        href: String,
    },
    /// A line break inside a paragraph or list item.
    Break,
}

/// The blocks of a Markdown message. Blank lines end paragraphs; lines starting `- `, `* `,
/// `+ ` or `1. ` are list items (an indented line after an item continues it).
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<&str>>)> = None;
    for line in text.lines() {
        let marker = list_item(line);
        if line.trim().is_empty() || marker.is_some() || list.is_some() && line.starts_with(' ') {
            flush_paragraph(&mut blocks, &mut lines);
        }
        match (marker, &mut list) {
            (Some((ordered, rest)), Some((kind, items))) if *kind == ordered => items.push(vec![rest]),
            (Some((ordered, rest)), _) => {
                flush_list(&mut blocks, &mut list);
                list = Some((ordered, vec![vec![rest]]));
            }
            (None, Some((_, items))) if !line.trim().is_empty() && line.starts_with(' ') => {
                if let Some(item) = items.last_mut() {
                    item.push(line.trim_start());
                }
            }
            (None, _) => {
                flush_list(&mut blocks, &mut list);
                if !line.trim().is_empty() {
                    lines.push(line);
                }
            }
        }
    }
    flush_paragraph(&mut blocks, &mut lines);
    flush_list(&mut blocks, &mut list);
    blocks
}

fn flush_paragraph(blocks: &mut Vec<Block>, lines: &mut Vec<&str>) {
    if !lines.is_empty() {
        blocks.push(Block::Paragraph(lines_inlines(lines)));
        lines.clear();
    }
}

fn flush_list(blocks: &mut Vec<Block>, list: &mut Option<(bool, Vec<Vec<&str>>)>) {
    if let Some((ordered, items)) = list.take() {
        let items = items.iter().map(|lines| lines_inlines(lines)).collect();
        blocks.push(Block::List { ordered, items });
    }
}

/// The lines of one paragraph or item, with a break between them.
fn lines_inlines(lines: &[&str]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if at > 0 {
            out.push(Inline::Break);
        }
        out.extend(inlines(line));
    }
    out
}

/// `- item`, `* item`, `+ item` (unordered) or `12. item` (ordered), and the item's text.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let line = line.trim_start_matches(' ');
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    (1..=9).contains(&digits).then_some((true, rest))
}

/// The inline parts of one line: styles, code, links, and the text between them.
pub fn inlines(line: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let found = match bytes[at] {
            b'\\' if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) => {
                text.push(bytes[at + 1] as char);
                at += 2;
                continue;
            }
            b'`' => delimited(rest, "`").map(|(inner, used)| (Inline::Code(inner.into()), used)),
            b'*' | b'_' if rest.starts_with("**") || rest.starts_with("__") => {
                styled(rest, &rest[..2], at, bytes).map(|(inner, used)| (Inline::Strong(inner.into()), used))
            }
            b'*' | b'_' => {
                styled(rest, &rest[..1], at, bytes).map(|(inner, used)| (Inline::Emphasis(inner.into()), used))
            }
            b'[' => written_link(rest),
            b'h' => bare_link(rest).map(|href| {
                (
                    Inline::Link {
                        text: href.into(),
                        href: href.into(),
                    },
                    href.len(),
                )
            }),
            _ => None,
        };
        match found {
            Some((inline, used)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(inline);
                at += used;
            }
            None => {
                let width = rest.chars().next().map_or(1, char::len_utf8);
                text.push_str(&rest[..width]);
                at += width;
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// The first bare `http(s)` address in `text`: where it starts, and the address.
fn next_link(text: &str) -> Option<(usize, &str)> {
    (0..text.len())
        .filter(|&at| text.is_char_boundary(at))
        .find_map(|at| Some((at, bare_link(&text[at..])?)))
}

/// Text and bare `http(s)` links only: how a visitor's own message is shown.
pub fn links(line: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some((start, href)) = next_link(rest) {
        if start > 0 {
            out.push(Inline::Text(rest[..start].into()));
        }
        out.push(Inline::Link {
            text: href.into(),
            href: href.into(),
        });
        rest = &rest[start + href.len()..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.into()));
    }
    out
}

/// Whether all of `text` is one `http(s)` address (an image's or a button's target).
pub fn is_web_address(text: &str) -> bool {
    bare_link(text).is_some_and(|link| link.len() == text.len())
}

/// Where `needle` first occurs in `text`, by comparing bytes: `str::find` with a string
/// brings a general substring searcher, which weighs kilobytes in the widget's wasm.
fn position(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

/// `open inner open` at the start of `rest`: the inner text and the bytes used.
fn delimited<'a>(rest: &'a str, mark: &str) -> Option<(&'a str, usize)> {
    let body = &rest[mark.len()..];
    let end = position(body, mark)?;
    (end > 0).then(|| (&body[..end], end + 2 * mark.len()))
}

/// Emphasis or strong text: not empty, not starting or ending with a space, and `_` only at
/// a word's edge (`snake_case_name` stays text).
fn styled<'a>(rest: &'a str, mark: &str, at: usize, line: &[u8]) -> Option<(&'a str, usize)> {
    let (inner, used) = delimited(rest, mark)?;
    let word = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_alphanumeric);
    if mark.starts_with('_') && (at > 0 && word(line.get(at - 1)) || word(line.get(at + used))) {
        return None;
    }
    (!inner.starts_with(' ') && !inner.ends_with(' ')).then_some((inner, used))
}

/// `[text](href)` with an `http(s)` href; anything else stays text.
fn written_link(rest: &str) -> Option<(Inline, usize)> {
    let close = position(rest, "](")?;
    let text = &rest[1..close];
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let href = &after[..end];
    let valid = !text.is_empty() && is_web_address(href);
    valid.then(|| {
        let link = Inline::Link {
            text: text.into(),
            href: href.into(),
        };
        (link, close + 2 + end + 1)
    })
}

/// An `http://` or `https://` address at the start of `text`, then a letter or digit, to the
/// next white space, less the punctuation that usually ends a sentence.
fn bare_link(text: &str) -> Option<&str> {
    let host = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))?;
    if !host.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let end = text.find([' ', '\t', '\n', '\r']).unwrap_or(text.len());
    Some(text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::{Break, Code, Emphasis, Strong, Text};

    fn link(text: &str, href: &str) -> Inline {
        Inline::Link {
            text: text.into(),
            href: href.into(),
        }
    }

    #[test]
    fn styles_code_and_links_inline() {
        assert_eq!(
            inlines("**Bold**, *it* and _it_, `a*b*c`, [docs](https://x.io/d) or https://x.io."),
            [
                Strong("Bold".into()),
                Text(", ".into()),
                Emphasis("it".into()),
                Text(" and ".into()),
                Emphasis("it".into()),
                Text(", ".into()),
                Code("a*b*c".into()),
                Text(", ".into()),
                link("docs", "https://x.io/d"),
                Text(" or ".into()),
                link("https://x.io", "https://x.io"),
                Text(".".into()),
            ]
        );
    }

    #[test]
    fn hostile_markup_and_other_schemes_stay_text() {
        for line in [
            "<script>alert(1)</script>",
            "[click](javascript:alert(1))",
            "[x](data:text/html,<b>)",
            "javascript:alert(1)",
            "<img src=x onerror=alert(1)>",
            "https:// spaced",
        ] {
            let parts = inlines(line);
            assert!(parts.iter().all(|part| matches!(part, Text(_))), "{line}: {parts:?}");
            assert_eq!(
                parts
                    .iter()
                    .map(|part| match part {
                        Text(text) => text.as_str(),
                        _ => "",
                    })
                    .collect::<String>(),
                line
            );
        }
        assert_eq!(inlines("`<b>x</b>`"), [Code("<b>x</b>".into())], "HTML in code is text");
    }

    #[test]
    fn unmatched_spaced_and_inner_word_marks_stay_text() {
        for line in ["2 * 3 * 4", "snake_case_name", "**open", "a ** b", "`", "**"] {
            assert_eq!(inlines(line), [Text(line.into())], "{line}");
        }
        assert_eq!(inlines(r"\*not\*"), [Text("*not*".into())]);
    }

    #[test]
    fn paragraphs_breaks_and_lists() {
        assert_eq!(
            parse("Hello\nthere\n\nSteps:\n1. **Open** it\n2. Close\n\n- a\n  more\n* b\nBye"),
            [
                Block::Paragraph(vec![Text("Hello".into()), Break, Text("there".into())]),
                Block::Paragraph(vec![Text("Steps:".into())]),
                Block::List {
                    ordered: true,
                    items: vec![
                        vec![Strong("Open".into()), Text(" it".into())],
                        vec![Text("Close".into())]
                    ]
                },
                Block::List {
                    ordered: false,
                    items: vec![
                        vec![Text("a".into()), Break, Text("more".into())],
                        vec![Text("b".into())]
                    ]
                },
                Block::Paragraph(vec![Text("Bye".into())]),
            ]
        );
        assert!(parse("").is_empty());
        assert_eq!(parse("3.5 stars"), [Block::Paragraph(vec![Text("3.5 stars".into())])]);
    }

    #[test]
    fn a_visitors_text_gets_links_only() {
        assert_eq!(
            links("See **https://example.com/a?b=1, then http://x.io."),
            [
                Text("See **".into()),
                link("https://example.com/a?b=1", "https://example.com/a?b=1"),
                Text(", then ".into()),
                link("http://x.io", "http://x.io"),
                Text(".".into()),
            ]
        );
        assert_eq!(
            links("https:// then https://x.io"),
            [Text("https:// then ".into()), link("https://x.io", "https://x.io")]
        );
        assert_eq!(links("héllo"), [Text("héllo".into())]);
        assert!(is_web_address("https://x.io/a.png"));
        for other in [
            "javascript:alert(1)",
            "https://x.io/a b",
            "data:image/png;base64,AA",
            "",
        ] {
            assert!(!is_web_address(other), "{other}");
        }
    }
}
