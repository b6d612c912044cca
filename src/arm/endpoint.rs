//! Endpoint checks for the client: what it may talk to, and where it may be redirected.

use url::Url;

use super::ArmError;

/// Parses an ARM endpoint: https, or plain http on loopback only.
pub fn validate_endpoint(text: &str) -> Result<Url, ArmError> {
    crate::model::validate_endpoint(text).map_err(ArmError::Endpoint)
}

/// Whether `url` points at the same origin as `base` (tokens go nowhere else).
pub(crate) fn same_origin(base: &Url, url: &Url) -> bool {
    base.scheme() == url.scheme()
        && base.host() == url.host()
        && base.port_or_known_default() == url.port_or_known_default()
}

/// Redirects stay on the endpoint's origin, as `nextLink`s do: a redirect elsewhere would
/// show another server's answer as the endpoint's (reqwest drops the token on the way, but
/// the answer would still be believed). Following is bounded like reqwest's default.
pub(crate) fn redirect_policy(base: Url) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if !same_origin(&base, attempt.url()) {
            let refused = CrossOriginRedirect {
                status: attempt.status().as_u16(),
                target: host_and_port(attempt.url()),
            };
            attempt.error(refused)
        } else if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else {
            attempt.follow()
        }
    })
}

const MAX_REDIRECTS: usize = 10;

/// A redirect to another origin that was not followed.
#[derive(Debug)]
pub(crate) struct CrossOriginRedirect {
    pub status: u16,
    /// `host:port` of the other origin.
    pub target: String,
}

impl std::fmt::Display for CrossOriginRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server redirected to another host ({}); not followed",
            self.target
        )
    }
}

impl std::error::Error for CrossOriginRedirect {}

/// `host:port` of a URL, for messages.
pub(crate) fn host_and_port(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or("?"),
        url.port_or_known_default().unwrap_or(0)
    )
}
