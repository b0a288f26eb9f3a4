//! HTTP `Range: bytes=...` requests (RFC 9110 §14), so audio and video can seek. One range
//! is served; several, or a header that does not parse, get the whole file as the RFC allows.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    Whole,
    /// From `start` to `end`, both included.
    Part {
        start: u64,
        end: u64,
    },
    /// 416: the range starts past the end.
    Unsatisfiable,
}

pub fn answer(header: Option<&str>, size: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|value| value.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Whole;
    };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let number = |text: &str| text.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // `-n`: the last n bytes.
        (true, _, Some(0)) => RangeAnswer::Unsatisfiable,
        (true, _, Some(_)) if size == 0 => RangeAnswer::Unsatisfiable,
        (true, _, Some(suffix)) => RangeAnswer::Part {
            start: size - suffix.min(size),
            end: size - 1,
        },
        (false, Some(start), _) if start >= size => RangeAnswer::Unsatisfiable,
        (false, Some(start), None) if last.trim().is_empty() => RangeAnswer::Part { start, end: size - 1 },
        (false, Some(start), Some(end)) if end >= start => RangeAnswer::Part {
            start,
            end: end.min(size - 1),
        },
        _ => RangeAnswer::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(start: u64, end: u64) -> RangeAnswer {
        RangeAnswer::Part { start, end }
    }

    #[test]
    fn single_ranges() {
        assert_eq!(answer(Some("bytes=0-99"), 1000), part(0, 99));
        assert_eq!(answer(Some("bytes=900-"), 1000), part(900, 999));
        assert_eq!(answer(Some("bytes=900-5000"), 1000), part(900, 999));
        assert_eq!(answer(Some("bytes=-100"), 1000), part(900, 999));
        assert_eq!(answer(Some("bytes=-5000"), 1000), part(0, 999));
    }

    #[test]
    fn past_the_end_is_unsatisfiable() {
        assert_eq!(answer(Some("bytes=1000-"), 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(answer(Some("bytes=-0"), 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(answer(Some("bytes=-10"), 0), RangeAnswer::Unsatisfiable);
    }

    #[test]
    fn anything_else_is_the_whole_file() {
        for header in [
            None,
            Some("bytes=5-2"),
            Some("items=0-1"),
            Some("bytes=0-1,5-6"),
            Some("bytes=a-b"),
            Some("bytes="),
        ] {
            assert_eq!(answer(header, 1000), RangeAnswer::Whole, "{header:?}");
        }
    }
}
