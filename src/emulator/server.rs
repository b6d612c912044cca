//! The request pipeline every ARM call goes through: request ids, bearer auth, injected
//! faults, configured latency, routing and api-version checks, ARM token buckets, then
//! the handler under the estate lock. One fallback handler does the routing itself so
//! that path segments match case-insensitively (as ARM does) and so that every refusal,
//! however malformed the request, is an ARM JSON error.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use uuid::Uuid;

use super::EstateSpec;
use super::admin;
use super::clock::VirtualClock;
use super::errors::{ArmError, ArmResult};
use super::faults::{FaultKind, Faults};
use super::persist;
use super::routes::{self, Family};
use super::rules::Limits;
use super::state::Estate;
use super::throttle::{Buckets, Kind};

/// Largest request body accepted (ARM's own limit is 4 MB).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Settings fixed for the emulator's lifetime.
#[derive(Debug)]
pub struct Settings {
    pub estate: EstateSpec,
    pub token: Option<String>,
    pub latency_ms: u64,
    pub page_size: usize,
    pub throttling: bool,
    pub state_file: Option<std::path::PathBuf>,
    pub base_url: String,
}

/// Everything mutable, behind one lock (never held across an await).
#[derive(Debug)]
pub struct Inner {
    pub estate: Estate,
    pub clock: VirtualClock,
    pub faults: Faults,
    pub buckets: Buckets,
    pub limits: Limits,
}

#[derive(Debug)]
pub struct Shared {
    pub settings: Settings,
    pub inner: Mutex<Inner>,
    /// Serialises state-file writes so a slow write never overtakes a newer one.
    pub persist_lock: tokio::sync::Mutex<()>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means a handler panicked mid-update; the estate is still
        // the best state we have, so keep serving it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A parsed request as the route handlers see it.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    pub path: String,
    /// Path segments, percent-decoded, original case.
    pub segs: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    pub headers: HeaderMap,
}

impl Req {
    /// A query parameter by case-insensitive name (`$skipToken` and `$skiptoken` alike).
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> ArmResult<Value> {
        if self.body.is_empty() {
            return Err(ArmError::invalid_body(
                "The request content was invalid and could not be deserialized: the body is empty.",
            ));
        }
        let v: Value = serde_json::from_slice(&self.body).map_err(|e| {
            ArmError::invalid_body(format!(
                "The request content was invalid and could not be deserialized: '{e}'."
            ))
        })?;
        if !v.is_object() {
            return Err(ArmError::invalid_body(
                "The request content was invalid and could not be deserialized: expected a JSON object.",
            ));
        }
        Ok(v)
    }

    /// Body as JSON when present, `{}` when empty (POST actions with optional bodies).
    pub fn json_or_empty(&self) -> ArmResult<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(Value::Object(Default::default()))
        } else {
            self.json()
        }
    }

    pub fn expand_has(&self, what: &str) -> bool {
        self.q("$expand")
            .or_else(|| self.q("expand"))
            .is_some_and(|e| e.split(',').any(|x| x.trim().eq_ignore_ascii_case(what)))
    }
}

/// A successful answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(HeaderName, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self::with(StatusCode::OK, body)
    }
    pub fn with(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            body: None,
            headers: Vec::new(),
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers
            .push((HeaderName::from_static(name), value.into()));
        self
    }
}

/// What a handler gets besides the request.
pub struct Ctx<'a> {
    pub estate: &'a mut Estate,
    pub clock: &'a VirtualClock,
    pub limits: &'a Limits,
    pub now: f64,
    pub base_url: &'a str,
    pub page_size: usize,
    pub api_version: String,
    /// Set when a `failLro` fault fired: the LRO this request starts ends with it.
    pub fail_lro: Option<ArmError>,
}

/// The axum fallback handler: every path comes here.
pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let request_id = Uuid::new_v4().to_string();
    let correlation = header_text(&parts.headers, "x-ms-correlation-request-id")
        .or_else(|| header_text(&parts.headers, "x-ms-client-request-id"))
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let client_request_id = header_text(&parts.headers, "x-ms-client-request-id");
    let mut resp = match axum::body::to_bytes(body, MAX_BODY).await {
        Err(_) => error_response(&ArmError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            "The request body is larger than the 4 MB ARM accepts.",
        )),
        Ok(bytes) => {
            let req = parse_request(parts.method, &parts.uri, parts.headers, bytes);
            pipeline(&shared, req).await
        }
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert(HeaderName::from_static("x-ms-request-id"), v.clone());
        h.insert(HeaderName::from_static("x-ms-routing-request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&correlation) {
        h.insert(HeaderName::from_static("x-ms-correlation-request-id"), v);
    }
    if let Some(c) = client_request_id
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        h.insert(HeaderName::from_static("x-ms-client-request-id"), v);
    }
    resp
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty())
}

fn parse_request(method: Method, uri: &axum::http::Uri, headers: HeaderMap, body: Bytes) -> Req {
    let path = uri.path().to_owned();
    let segs = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    Req {
        method,
        path,
        segs,
        query,
        body,
        headers,
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

async fn pipeline(shared: &Arc<Shared>, req: Req) -> Response {
    if req
        .segs
        .first()
        .is_some_and(|s| s.eq_ignore_ascii_case("_emulator"))
    {
        return match admin::handle(shared, &req) {
            Ok(reply) => reply_response(reply),
            Err(e) => error_response(&e),
        };
    }
    if let Err(e) = authenticate(&shared.settings, &req.headers) {
        return error_response(&e);
    }

    let fired = shared.lock().faults.fire(req.method.as_str(), &req.path);
    let mut fail_lro = None;
    for f in &fired {
        match f.kind {
            FaultKind::Latency => {
                tokio::time::sleep(Duration::from_millis(
                    f.latency_ms.unwrap_or(1000).min(600_000),
                ))
                .await;
            }
            FaultKind::Throttle => {
                let secs = f.retry_after.unwrap_or(5);
                return error_response(&throttled_error("InjectedFault", secs));
            }
            FaultKind::ServerError => {
                return error_response(&ArmError::internal(
                    "The server encountered an internal error. Please retry the request. (injected fault)",
                ));
            }
            FaultKind::Unavailable => {
                return error_response(
                    &ArmError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "ServiceUnavailable",
                        "The service is temporarily unavailable. Please retry. (injected fault)",
                    )
                    .with_retry_after(f.retry_after.unwrap_or(5)),
                );
            }
            FaultKind::Drop => return dropped_response(),
            FaultKind::Malformed => return malformed_response(),
            FaultKind::FailLro => {
                fail_lro = Some(ArmError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    f.code.as_deref().unwrap_or("InternalOperationError"),
                    "The long-running operation failed. (injected fault)",
                ));
            }
        }
    }
    if shared.settings.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(
            shared.settings.latency_ms.min(600_000),
        ))
        .await;
    }

    let route = match routes::resolve(&req) {
        Ok(r) => r,
        Err(e) => return error_response(&e),
    };
    let api_version = match check_api_version(&req, route.family()) {
        Ok(v) => v,
        Err(e) => return error_response(&e),
    };
    let is_write = req.method != Method::GET && req.method != Method::HEAD;
    let mut throttle_headers = Vec::new();
    if shared.settings.throttling {
        let scope = req
            .segs
            .get(1)
            .filter(|_| req.segs.len() > 1)
            .cloned()
            .unwrap_or_else(|| "tenant".to_owned());
        let kind = if is_write { Kind::Write } else { Kind::Read };
        match shared.lock().buckets.take(&scope, kind) {
            Ok(remaining) => {
                let name = match (scope == "tenant", is_write) {
                    (true, false) => "x-ms-ratelimit-remaining-tenant-reads",
                    (true, true) => "x-ms-ratelimit-remaining-tenant-writes",
                    (false, false) => "x-ms-ratelimit-remaining-subscription-reads",
                    (false, true) => "x-ms-ratelimit-remaining-subscription-writes",
                };
                throttle_headers.push((name, remaining.to_string()));
            }
            Err(wait) => {
                let kind_name = if is_write {
                    "SubscriptionWrites"
                } else {
                    "SubscriptionReads"
                };
                return error_response(&throttled_error(kind_name, wait));
            }
        }
    }

    let base_url =
        request_base_url(&req.headers).unwrap_or_else(|| shared.settings.base_url.clone());
    let result = {
        let mut guard = shared.lock();
        let inner = &mut *guard;
        let now = inner.clock.now();
        super::lro::settle(&mut inner.estate, now);
        let mut ctx = Ctx {
            estate: &mut inner.estate,
            clock: &inner.clock,
            limits: &inner.limits,
            now,
            base_url: &base_url,
            page_size: shared.settings.page_size.max(1),
            api_version,
            fail_lro,
        };
        routes::run(&mut ctx, &route, &req)
    };
    let changed = is_write && result.is_ok();
    let mut resp = match result {
        Ok(reply) => reply_response(reply),
        Err(e) => error_response(&e),
    };
    for (name, value) in throttle_headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    if changed {
        persist::save_soon(shared).await;
    }
    resp
}

/// `http://{Host}` when the request names a usable host, so that `nextLink` and polling
/// URLs work for clients that reach the emulator through another address than the bound
/// one (e.g. when it listens on 0.0.0.0).
fn request_base_url(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let url = url::Url::parse(&format!("http://{host}")).ok()?;
    let ok = url.host_str().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.username().is_empty();
    ok.then(|| url.as_str().trim_end_matches('/').to_owned())
}

/// The 429 body Compute documents (OperationNotAllowed + TooManyRequests detail).
pub fn throttled_error(group: &str, retry_after: u64) -> ArmError {
    ArmError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "OperationNotAllowed",
        "The server rejected the request because too many requests have been received for this subscription.",
    )
    .with_detail(serde_json::json!({
        "code": "TooManyRequests",
        "target": group,
        "message": format!("{{\"operationGroup\":\"{group}\",\"retryAfterSeconds\":{retry_after}}}")
    }))
    .with_retry_after(retry_after)
}

fn authenticate(settings: &Settings, headers: &HeaderMap) -> ArmResult<()> {
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

/// Checks `api-version` against the family's minimum; returns it.
fn check_api_version(req: &Req, family: Family) -> ArmResult<String> {
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

pub fn reply_response(reply: Reply) -> Response {
    let mut builder = Response::builder().status(reply.status);
    let body = match reply.body {
        Some(v) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json; charset=utf-8");
            Body::from(serde_json::to_vec(&v).unwrap_or_default())
        }
        None => Body::empty(),
    };
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            builder = builder.header(name, v);
        }
    }
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

pub fn error_response(e: &ArmError) -> Response {
    let mut reply = Reply::with(e.status_code(), e.body());
    if let Some(s) = e.retry_after {
        reply = reply.header("retry-after", s.to_string());
    }
    if e.status == 401 {
        reply = reply.header(
            "www-authenticate",
            "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"",
        );
    }
    reply = reply.header("x-ms-failure-cause", "gateway");
    reply_response(reply)
}

fn malformed_response() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from("{\"value\": [{\"id\": \"/subscriptions/"))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// Headers go out, then the body errors: hyper cuts the connection mid-response.
fn dropped_response() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::new(BrokenBody))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

struct BrokenBody;

impl http_body::Body for BrokenBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected dropped connection",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
