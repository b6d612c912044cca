//! Endpoint checks for the client.

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
