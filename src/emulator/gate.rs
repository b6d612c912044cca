//! The checks every request passes before routing: bearer auth and api-version for the
//! ARM surface; for the admin API, no web page origin, bearer auth and JSON bodies.

use axum::http::{HeaderMap, StatusCode, header};

use super::errors::{ArmError, ArmResult};
use super::request::Req;
use super::routes::Family;
use super::server::Settings;

pub fn authenticate(settings: &Settings, headers: &HeaderMap) -> ArmResult<()> {
    let Some(raw) = headers.get(header::AUTHORIZATION) else {
        return Err(ArmError::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        ));
    };
    let text = raw.to_str().unwrap_or_default().trim();
    let token = match text.split_once(' ') {
        Some((scheme, tok)) if scheme.eq_ignore_ascii_case("bearer") => tok.trim(),
        _ => {
            return Err(ArmError::new(
                StatusCode::UNAUTHORIZED,
                "AuthenticationFailedInvalidHeader",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.",
            ));
        }
    };
    if token.is_empty() {
        return Err(ArmError::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailedMissingToken",
            "Authentication failed. The 'Authorization' header is missing the access token.",
        ));
    }
    if let Some(expected) = &settings.token
        && expected != token
    {
        return Err(ArmError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "The access token is invalid.",
        ));
    }
    Ok(())
}

/// The admin API can wipe a `--state` file and read the whole estate, so a web page open
/// in the user's browser must not reach it: browsers mark cross-site requests with
/// `Origin`, cannot add `Authorization` without a CORS preflight the emulator never
/// approves, and send form-like bodies as `text/plain` or form types.
pub fn check_admin(settings: &Settings, req: &Req) -> ArmResult<()> {
    if req.headers.contains_key(header::ORIGIN) {
        return Err(ArmError::new(
            StatusCode::FORBIDDEN,
            "CrossOriginRequestRefused",
            "The emulator's admin API does not answer web pages (the request carries an Origin header).",
        ));
    }
    authenticate(settings, &req.headers)?;
    let content_type = req.headers.get(header::CONTENT_TYPE);
    let json = content_type
        .and_then(|v| v.to_str().ok())
        .map(is_json_media_type);
    match json {
        Some(true) => Ok(()),
        None if content_type.is_none() && req.body.is_empty() => Ok(()),
        _ => Err(ArmError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "The content media type is not supported. Only 'application/json' is supported.",
        )),
    }
}

/// `application/json`, with parameters or a `+json` suffix type.
fn is_json_media_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Checks `api-version` against the family's minimum; returns it.
pub fn check_api_version(req: &Req, family: Family) -> ArmResult<String> {
    let Some(v) = req.q("api-version") else {
        return Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    };
    let min = family.min_api_version();
    let valid = parse_api_version(v);
    match valid {
        Some(date) if date.as_str() >= min => Ok(v.to_owned()),
        _ => Err(ArmError::bad_request(
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{}' is invalid. The supported versions are '{min}' and later (yyyy-MM-dd, optionally with a -preview suffix).",
                v.chars().take(64).collect::<String>()
            ),
        )),
    }
}

/// `yyyy-mm-dd` part of an api-version, if well-formed (`2025-04-01`, `2026-03-02-preview`).
fn parse_api_version(v: &str) -> Option<String> {
    let (date, suffix) = match v.get(..10) {
        Some(d) => (d, &v[10..]),
        None => return None,
    };
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    let ok = b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (suffix.is_empty() || suffix.eq_ignore_ascii_case("-preview"));
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| date.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("Application/JSON; charset=utf-8"));
        assert!(is_json_media_type("application/merge-patch+json"));
        assert!(!is_json_media_type("text/plain"));
        assert!(!is_json_media_type("text/json+json"));
        assert!(!is_json_media_type("multipart/form-data; boundary=x"));
        assert!(!is_json_media_type(""));
    }

    #[test]
    fn api_versions_parse_strictly() {
        assert_eq!(
            parse_api_version("2025-04-01").as_deref(),
            Some("2025-04-01")
        );
        assert_eq!(
            parse_api_version("2026-03-02-preview").as_deref(),
            Some("2026-03-02")
        );
        assert!(parse_api_version("2025-4-01").is_none());
        assert!(parse_api_version("latest").is_none());
        assert!(parse_api_version("2025-13-01").is_none());
        assert!(parse_api_version("2025-04-01x").is_none());
        assert!(parse_api_version("２０２５-04-01").is_none());
    }
}
