//! ARM endpoint rules: https everywhere except loopback, and no credentials in the URL.

use url::{Host, Url};

/// Parses an ARM endpoint. Plain http is allowed only on loopback, so a token is never
/// sent in clear over a network. A user name or password in the URL is refused: the
/// endpoint is shown in the top bar and saved in the settings file, and ARM
/// authenticates with the bearer token anyway. Messages never repeat the credentials.
pub fn validate_endpoint(text: &str) -> Result<Url, String> {
    // Whatever went wrong, the message shows the text without anything that could be a
    // password: a text such as `user:secret@host` parses, as a URL with no host.
    let shown = hide_userinfo(text, "…@");
    let url = Url::parse(text.trim()).map_err(|e| format!("{shown:?} is not a URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "the endpoint URL holds a user name or password; give it as {:?} (rpdesk would \
             show the password and save it in the settings; ARM takes the bearer token)",
            without_userinfo(url.as_str())
        ));
    }
    if url.host().is_none() {
        return Err(format!("{shown:?} has no host"));
    }
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(format!(
            "{shown:?} uses plain http; only loopback addresses may (use https)"
        )),
        other => Err(format!("{shown:?}: unsupported scheme {other:?}")),
    }
}

/// `text` without its `user:password@` part, for URLs saved before they were refused.
pub fn without_userinfo(text: &str) -> String {
    match Url::parse(text.trim()) {
        Ok(mut url) if url.has_host() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.into()
        }
        _ => hide_userinfo(text, ""),
    }
}

/// Text that may not parse as a URL, with everything that could be `user:password@` (all
/// between the scheme and the last `@`) replaced by `with`: a password may hold `/`, `?`
/// or `#` unescaped, so where the host begins cannot be told.
fn hide_userinfo(text: &str, with: &str) -> String {
    let Some(at) = text.rfind('@') else {
        return text.to_owned();
    };
    let keep = text
        .find("://")
        .map(|i| i + 3)
        .filter(|&i| i <= at)
        .unwrap_or(0);
    format!("{}{with}{}", &text[..keep], &text[at + 1..])
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

    #[test]
    fn credentials_in_the_url_are_refused_without_being_repeated() {
        for text in [
            "https://alice:hunter2@arm.example.test",
            "http://alice:hunter2@127.0.0.1:7780",
            "http://alice:hunter2@10.0.0.5:7780",
            "http://alice:hunter2@127.0.0.1:99999",
            "http://alice:hun/ter2@127.0.0.1:7780",
            "alice:hunter2@127.0.0.1",
            "https://alice@arm.example.test",
        ] {
            let e = validate_endpoint(text).unwrap_err();
            assert!(!e.contains("hunter2"), "{e}");
            assert!(!e.contains("alice"), "{e}");
        }
        let e = validate_endpoint("https://alice:hunter2@arm.example.test").unwrap_err();
        assert!(e.contains("user name or password"), "{e}");
        assert_eq!(
            without_userinfo("https://alice:hunter2@arm.example.test/x@y"),
            "https://arm.example.test/x@y"
        );
        assert_eq!(without_userinfo("http://[::1]:7780/"), "http://[::1]:7780/");
        assert_eq!(without_userinfo("http://a:b/c@[::1]:x"), "http://[::1]:x");
    }
}
