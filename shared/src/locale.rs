//! The five languages nimchat speaks, in the widget and in the console: English, French,
//! German, Spanish and Arabic (right to left). Each app keeps its own words.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    En,
    Fr,
    De,
    Es,
    Ar,
}

impl Locale {
    pub const ALL: [Locale; 5] = [Locale::En, Locale::Fr, Locale::De, Locale::Es, Locale::Ar];

    /// `fr-CA` -> French; anything unknown -> English.
    pub fn parse(tag: &str) -> Locale {
        match tag.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Locale::Fr,
            Some("de") => Locale::De,
            Some("es") => Locale::Es,
            Some("ar") => Locale::Ar,
            _ => Locale::En,
        }
    }

    pub fn tag(self) -> &'static str {
        self.pick(["en", "fr", "de", "es", "ar"])
    }

    pub fn dir(self) -> &'static str {
        if self == Locale::Ar {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn name(self) -> &'static str {
        self.pick(["English", "Français", "Deutsch", "Español", "العربية"])
    }

    /// This language's entry of `[en, fr, de, es, ar]`.
    pub fn pick<T>(self, words: [T; 5]) -> T {
        let [en, fr, de, es, ar] = words;
        match self {
            Locale::En => en,
            Locale::Fr => fr,
            Locale::De => de,
            Locale::Es => es,
            Locale::Ar => ar,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_by_language() {
        assert_eq!(Locale::parse("fr-CA"), Locale::Fr);
        assert_eq!(Locale::parse("AR"), Locale::Ar);
        assert_eq!(Locale::parse("pt-BR"), Locale::En);
        assert_eq!(Locale::parse(""), Locale::En);
        for each in Locale::ALL {
            assert_eq!(Locale::parse(each.tag()), each);
        }
    }

    #[test]
    fn arabic_alone_is_right_to_left() {
        assert_eq!(Locale::Ar.dir(), "rtl");
        assert!(Locale::ALL
            .iter()
            .filter(|each| **each != Locale::Ar)
            .all(|each| each.dir() == "ltr"));
        assert_eq!(Locale::Fr.pick([1, 2, 3, 4, 5]), 2);
    }
}
