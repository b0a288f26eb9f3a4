//! `allowed_domains`: which sites may embed an inbox's widget.

/// Whether a browser `Origin` may use an inbox restricted to `allowed` (comma-separated
/// host patterns; empty allows all). `*.example.com` covers subdomains, not the apex.
pub fn origin_allowed(origin: &str, allowed: &str) -> bool {
    let patterns: Vec<&str> = allowed.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if patterns.is_empty() {
        return true;
    }
    let Some(host) = host_of(origin) else {
        return false;
    };
    patterns.iter().any(|pattern| match pattern.strip_prefix("*.") {
        Some(parent) => {
            host.len() > parent.len() + 1 && host.ends_with(parent) && host[..host.len() - parent.len()].ends_with('.')
        }
        None => host == *pattern,
    })
}

/// `https://Shop.Example:8443` -> `shop.example`.
fn host_of(origin: &str) -> Option<String> {
    let (_, rest) = origin.split_once("://")?;
    let authority = rest.split('/').next()?;
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_allows_everyone() {
        assert!(origin_allowed("https://anything.example", ""));
        assert!(origin_allowed("null", " , "));
    }

    #[test]
    fn exact_hosts_and_wildcards() {
        let allowed = "shop.example,*.brand.example";
        assert!(origin_allowed("https://shop.example", allowed));
        assert!(origin_allowed("http://SHOP.example:8080", allowed));
        assert!(origin_allowed("https://eu.brand.example", allowed));
        assert!(!origin_allowed("https://brand.example", allowed));
        assert!(!origin_allowed("https://evilbrand.example", allowed));
        assert!(!origin_allowed("https://shop.example.evil.test", allowed));
        assert!(!origin_allowed("null", allowed));
    }
}
