//! Which proxy ARM requests go through. Loopback endpoints (the demo, a local emulator)
//! never use one: the proxy would see the bearer token, and it cannot reach the user's
//! loopback anyway. Https endpoints follow `HTTPS_PROXY`/`ALL_PROXY` and `NO_PROXY`, as
//! curl does. Plain http is only ever allowed to loopback, so `HTTP_PROXY` has nothing
//! to apply to and is not read.

use url::Url;

use super::ArmError;
use crate::model::is_loopback;

/// Proxy settings for the client: [`ProxyConfig::from_env`] (what
/// `ClientOptions::default` uses), or given directly.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The proxy for https endpoints (`http://host:port`, credentials allowed).
    pub https: Option<String>,
    /// Hosts that bypass the proxy, in curl's `NO_PROXY` format (`a.example, .b, 10.0.0.0/8`).
    pub no_proxy: Option<String>,
}

impl ProxyConfig {
    /// No proxy at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// `HTTPS_PROXY`, else `ALL_PROXY`, and `NO_PROXY` (each upper case first, then lower).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`ProxyConfig::from_env`], from any lookup; an empty value counts as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: &[&str]| {
            names
                .iter()
                .filter_map(|n| var(n))
                .map(|v| v.trim().to_owned())
                .find(|v| !v.is_empty())
        };
        Self {
            https: first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]),
            no_proxy: first(&["NO_PROXY", "no_proxy"]),
        }
    }

    /// The proxy requests to `endpoint` go through, if any.
    pub(crate) fn for_endpoint(&self, endpoint: &Url) -> Result<Option<reqwest::Proxy>, ArmError> {
        if is_loopback(endpoint) || endpoint.scheme() != "https" {
            return Ok(None);
        }
        let Some(text) = &self.https else {
            return Ok(None);
        };
        // The error does not repeat the setting: it may hold the proxy's password.
        let proxy = reqwest::Proxy::https(text.as_str()).map_err(|_| {
            ArmError::Endpoint(
                "the https proxy (HTTPS_PROXY or ALL_PROXY) is not a usable proxy URL".to_owned(),
            )
        })?;
        let no_proxy = self
            .no_proxy
            .as_deref()
            .and_then(reqwest::NoProxy::from_string);
        Ok(Some(proxy.no_proxy(no_proxy)))
    }
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("https", &self.https.as_deref().map(without_credentials))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A proxy URL fit for logs: its user name and password removed.
fn without_credentials(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) if url.has_host() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        _ if text.contains('@') => "(a proxy URL with credentials)".to_owned(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_proxy_wins_over_all_proxy_and_empty_is_unset() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let c = ProxyConfig::from_vars(vars(&[
            ("ALL_PROXY", "http://all:1"),
            ("https_proxy", "http://https:2"),
            ("HTTP_PROXY", "http://http:3"),
            ("no_proxy", "example.test"),
        ]));
        assert_eq!(c.https.as_deref(), Some("http://https:2"));
        assert_eq!(c.no_proxy.as_deref(), Some("example.test"));
        let c =
            ProxyConfig::from_vars(vars(&[("HTTPS_PROXY", " "), ("all_proxy", "http://all:1")]));
        assert_eq!(c.https.as_deref(), Some("http://all:1"));
        assert_eq!(
            ProxyConfig::from_vars(vars(&[("HTTP_PROXY", "http://http:3")])),
            ProxyConfig::none(),
            "HTTP_PROXY has nothing to apply to"
        );
    }

    #[test]
    fn loopback_and_plain_http_never_get_a_proxy() {
        let c = ProxyConfig {
            https: Some("http://proxy.example:3128".into()),
            no_proxy: None,
        };
        for endpoint in [
            "http://127.0.0.1:7780",
            "https://127.0.0.1:7780",
            "https://localhost",
            "https://[::1]:443",
        ] {
            let url = Url::parse(endpoint).unwrap();
            assert!(c.for_endpoint(&url).unwrap().is_none(), "{endpoint}");
        }
        let arm = Url::parse("https://management.azure.com").unwrap();
        assert!(c.for_endpoint(&arm).unwrap().is_some());
    }

    #[test]
    fn debug_output_hides_proxy_credentials() {
        let c = ProxyConfig {
            https: Some("http://alice:hunter2@proxy.example:3128".into()),
            no_proxy: None,
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("proxy.example:3128"), "{shown}");
    }
}
