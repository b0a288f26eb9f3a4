//! Where nimchat may send events (contract 7.1): webhook URLs, agent bots' `outgoing_url`,
//! automation rules' `send_webhook_event`. A Worker cannot resolve names, so the rule looks
//! at the URL itself: the WHATWG parser has already turned every numeric spelling of an IPv4
//! address (`0x7f.1`, `2130706433`, `0177.0.0.1`) into the address.

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The longest URL taken.
pub const MAX_CHARS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not an absolute http(s) URL with a host and without user info, or too long.
    Malformed,
    /// It points into a private network (or at the machine itself).
    Private,
}

/// The URL as it will be called, or why not. `allow_private` is the worker variable
/// `WEBHOOKS_ALLOW_PRIVATE_URLS`.
pub fn check(text: &str, allow_private: bool) -> Result<Url, UrlProblem> {
    if text.chars().count() > MAX_CHARS {
        return Err(UrlProblem::Malformed);
    }
    let url = Url::parse(text).map_err(|_| UrlProblem::Malformed)?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::Malformed);
    }
    let private = match url.host() {
        None => return Err(UrlProblem::Malformed),
        Some(Host::Domain(name)) => is_private_name(name),
        Some(Host::Ipv4(address)) => is_private_v4(address),
        Some(Host::Ipv6(address)) => is_private_v6(address),
    };
    if private && !allow_private {
        return Err(UrlProblem::Private);
    }
    Ok(url)
}

fn is_private_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || [".localhost", ".local", ".internal"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

fn is_private_v4(address: Ipv4Addr) -> bool {
    let [a, b, c, _] = address.octets();
    address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_unspecified()
        || address.is_multicast()
        || address.is_broadcast()
        || a == 0
        // shared address space (carrier-grade NAT)
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, benchmarking, documentation
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0 && c == 2)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        // reserved for future use
        || a >= 240
}

fn is_private_v6(address: Ipv6Addr) -> bool {
    let segments = address.segments();
    let embedded_v4 = || {
        Ipv4Addr::new(
            (segments[6] >> 8) as u8,
            segments[6] as u8,
            (segments[7] >> 8) as u8,
            segments[7] as u8,
        )
    };
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
    // addresses reach the IPv4 address they hold.
    let mapped = segments[..5] == [0; 5] && segments[5] == 0xffff;
    let compatible = segments[..6] == [0; 6] && !(segments[6] == 0 && segments[7] <= 1);
    let nat64 = segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    if mapped || compatible || nat64 {
        return is_private_v4(embedded_v4());
    }
    address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        // unique local fc00::/7, link-local fe80::/10, site-local fec0::/10, documentation
        || (segments[0] & 0xfe00) == 0xfc00
        || (segments[0] & 0xffc0) == 0xfe80
        || (segments[0] & 0xffc0) == 0xfec0
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
}

#[cfg(test)]
mod tests {
    use super::{check, UrlProblem};

    #[test]
    fn public_http_and_https_urls_are_taken() {
        for url in [
            "https://hooks.example.com/nimchat",
            "http://203.0.114.7:8080/in?x=1",
            "https://[2606:4700::1111]/",
            "https://example.localhost.com/",
        ] {
            assert!(check(url, false).is_ok(), "{url}");
        }
    }

    #[test]
    fn private_hosts_in_every_spelling_are_refused() {
        for url in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://0.0.0.0/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://240.0.0.1/",
            "http://[::1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[64:ff9b::a00:1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[ff02::1]/",
            "http://localhost:3000/",
            "http://LOCALHOST./",
            "http://api.localhost/",
            "http://printer.local/",
            "http://metadata.google.internal/",
        ] {
            assert_eq!(check(url, false).unwrap_err(), UrlProblem::Private, "{url}");
            assert!(check(url, true).is_ok(), "allowed: {url}");
        }
    }

    #[test]
    fn malformed_urls_are_refused_even_when_private_ones_are_allowed() {
        let long = format!("https://example.com/{}", "a".repeat(2048));
        for url in [
            "",
            "example.com/hook",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "file:///etc/passwd",
            long.as_str(),
        ] {
            assert_eq!(check(url, true).unwrap_err(), UrlProblem::Malformed, "{url}");
        }
    }
}
