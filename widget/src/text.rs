//! Message text made safe to show: plain text, with http(s) links recognised. Nothing in a
//! message is ever parsed as HTML; other schemes (`javascript:`, `data:`) stay text.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Link(String),
}

/// Splits text into plain runs and links. A link starts at `http://` or `https://` and runs
/// to the next white space, less trailing punctuation that usually ends a sentence.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        let tail = &rest[start..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
        if start > 0 {
            out.push(Segment::Text(rest[..start].to_string()));
        }
        out.push(Segment::Link(link.to_string()));
        rest = &tail[link.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest.to_string()));
    }
    out
}

/// Where the first link starts: `http://` or `https://` and then a letter or digit. Prefix
/// comparisons and ASCII checks only: a substring search and Unicode tables would weigh more
/// in the wasm than the whole finder.
fn find_link_start(text: &str) -> Option<usize> {
    text.char_indices().map(|(at, _)| at).find(|&at| {
        let rest = &text[at..];
        let host = rest.strip_prefix("https://").or_else(|| rest.strip_prefix("http://"));
        host.is_some_and(|host| host.starts_with(|c: char| c.is_ascii_alphanumeric()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Link, Text};

    #[test]
    fn links_are_found_and_trimmed() {
        assert_eq!(
            segments("See https://example.com/a?b=1, then http://x.io."),
            [
                Text("See ".into()),
                Link("https://example.com/a?b=1".into()),
                Text(", then ".into()),
                Link("http://x.io".into()),
                Text(".".into())
            ]
        );
    }

    #[test]
    fn other_schemes_and_markup_stay_text() {
        for text in [
            "javascript:alert(1)",
            "<img src=x onerror=alert(1)>",
            "data:text/html,<script>",
            "https:// spaced",
            "http:/x.io",
        ] {
            assert!(
                segments(text).iter().all(|segment| matches!(segment, Text(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn a_false_start_does_not_hide_a_later_link() {
        assert_eq!(
            segments("https:// then https://x.io"),
            [Text("https:// then ".into()), Link("https://x.io".into())]
        );
    }

    #[test]
    fn plain_text_is_one_segment() {
        assert_eq!(segments("hello"), [Text("hello".into())]);
        assert!(segments("").is_empty());
    }
}
