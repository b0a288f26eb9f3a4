//! Colours derived from the inbox's `widget_color`, keeping text readable (WCAG 4.5:1).

/// `x^y`: the browser's `Math.pow` in the widget (Rust's own would add 2 KB of wasm), Rust's
/// in native tests.
fn pow(x: f64, y: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::pow(x, y);
    #[cfg(not(target_arch = "wasm32"))]
    return x.powf(y);
}

/// Relative luminance of `#rgb` / `#rrggbb` (WCAG 2.1); `None` for anything else.
fn luminance(hex: &str) -> Option<f64> {
    let digits = hex.strip_prefix('#')?;
    let expanded: String = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_string(),
        _ => return None,
    };
    let channel = |at: usize| -> Option<f64> {
        let value = f64::from(u8::from_str_radix(expanded.get(at..at + 2)?, 16).ok()?) / 255.0;
        Some(if value <= 0.03928 {
            value / 12.92
        } else {
            pow((value + 0.055) / 1.055, 2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The accent to use: the inbox's colour, darkened until white text on it reads at 4.5:1.
pub fn accent(widget_color: &str) -> String {
    let Some(digits) = widget_color
        .strip_prefix('#')
        .filter(|_| luminance(widget_color).is_some())
    else {
        return "#1f6feb".into();
    };
    let expanded: String = if digits.len() == 3 {
        digits.chars().flat_map(|c| [c, c]).collect()
    } else {
        digits.into()
    };
    let mut rgb: Vec<f64> = (0..3)
        .map(|i| f64::from(u8::from_str_radix(&expanded[i * 2..i * 2 + 2], 16).unwrap_or(0)))
        .collect();
    loop {
        let hex = format!("#{:02x}{:02x}{:02x}", rgb[0] as u8, rgb[1] as u8, rgb[2] as u8);
        match luminance(&hex) {
            Some(light) if contrast(1.0, light) >= 4.5 => return hex,
            _ => rgb.iter_mut().for_each(|channel| *channel *= 0.9),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_enough_colours_are_kept() {
        assert_eq!(accent("#1f3a93"), "#1f3a93");
        assert_eq!(accent("#000"), "#000000");
    }

    #[test]
    fn light_colours_are_darkened_to_four_and_a_half_to_one() {
        for light in ["#ffff00", "#1f93ff", "#ffffff", "#FF6600"] {
            let darker = accent(light);
            assert!(contrast(1.0, luminance(&darker).unwrap()) >= 4.5, "{light} -> {darker}");
        }
    }

    /// The `--name: #hex` variables of the first rule of the style sheet that starts with
    /// `selector`.
    fn variables(selector: &str) -> Vec<(String, String)> {
        let style = crate::components::STYLE;
        let start = style.find(&format!("{selector} {{")).expect(selector);
        let rule = &style[start..start + style[start..].find('}').unwrap()];
        let body = &rule[rule.find('{').unwrap() + 1..];
        body.split(';')
            .filter_map(|declaration| declaration.trim().split_once(':'))
            .filter(|(name, value)| name.starts_with("--") && value.trim().starts_with('#'))
            .map(|(name, value)| (name.to_string(), value.trim().to_string()))
            .collect()
    }

    #[test]
    fn text_reads_at_four_and_a_half_to_one_in_both_schemes() {
        let light = variables(".nimchat");
        let mut dark = light.clone();
        dark.extend(variables(".nimchat[data-scheme=\"dark\"]"));
        // Text colour on background, as the style sheet pairs them; white on the accent is
        // `accent`'s own guarantee.
        let pairs = [
            ("--fg", "--bg"),
            ("--muted", "--bg"),
            ("--fg", "--bubble-agent"),
            ("--danger", "--bg"),
            ("--warn-fg", "--warn-bg"),
            ("--alert-fg", "--alert-bg"),
            ("#ffffff", "#cf222e"),
        ];
        for (scheme, variables) in [("light", &light), ("dark", &dark)] {
            let colour = |name: &str| {
                let value = variables
                    .iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map_or(name, |(_, value)| value);
                luminance(value).unwrap_or_else(|| panic!("{name} is no colour in {scheme}"))
            };
            for (text, background) in pairs {
                let ratio = contrast(colour(text), colour(background));
                assert!(ratio >= 4.5, "{text} on {background} in {scheme}: {ratio:.2}");
            }
        }
    }

    #[test]
    fn nonsense_falls_back() {
        assert_eq!(accent("blue"), "#1f6feb");
        assert_eq!(accent("#12"), "#1f6feb");
    }
}
