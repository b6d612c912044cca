//! ARM endpoint rules: https everywhere except loopback.

use url::{Host, Url};

/// Parses an ARM endpoint. Plain http is allowed only on loopback, so a token is never
/// sent in clear over a network.
pub fn validate_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if url.host().is_none() {
        return Err(format!("{text:?} has no host"));
    }
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(format!(
            "{text:?} uses plain http; only loopback addresses may (use https)"
        )),
        other => Err(format!("{text:?}: unsupported scheme {other:?}")),
    }
}

/// Whether `url` names this machine (127.0.0.0/8, ::1 or `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(validate_endpoint("https://management.azure.com").is_ok());
        assert!(validate_endpoint("http://127.0.0.1:7780").is_ok());
        assert!(validate_endpoint("http://localhost:7780").is_ok());
        assert!(validate_endpoint("http://[::1]:7780").is_ok());
        assert!(validate_endpoint("http://10.0.0.5:7780").is_err());
        assert!(validate_endpoint("http://management.azure.com").is_err());
        assert!(validate_endpoint("ftp://127.0.0.1").is_err());
        assert!(validate_endpoint("not a url").is_err());
    }
}
