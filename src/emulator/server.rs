//! The request pipeline every ARM call goes through: request ids, bearer auth, injected
//! faults, configured latency, routing and api-version checks, ARM token buckets, then
//! the handler under the estate lock. One fallback handler does the routing itself so
//! that path segments match case-insensitively (as ARM does) and so that every refusal,
//! however malformed the request, is an ARM JSON error.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use uuid::Uuid;

use super::EstateSpec;
use super::admin;
use super::clock::VirtualClock;
use super::errors::{ArmError, ArmResult};
use super::faults::{FaultKind, Faults};
use super::gate::{authenticate, check_admin, check_api_version};
use super::persist;
pub use super::request::{Ctx, Reply, Req};
use super::responses::{dropped_response, error_response, malformed_response, reply_response};
use super::routes;
use super::rules::Limits;
use super::state::Estate;
use super::throttle::{Buckets, Kind};
use super::timeouts::Activity;

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
    /// How long a request body may take to arrive (see `timeouts`).
    pub header_timeout: Duration,
}

/// Everything mutable, behind one lock (never held across an await).
#[derive(Debug)]
pub struct Inner {
    pub estate: Estate,
    /// The `--state` file, if any (see `persist`).
    pub store: Option<persist::Store>,
    pub clock: VirtualClock,
    pub faults: Faults,
    pub buckets: Buckets,
    pub limits: Limits,
}

#[derive(Debug)]
pub struct Shared {
    pub settings: Settings,
    /// Also serialises saves: a change is saved before the lock is let go.
    pub inner: Mutex<Inner>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means a handler panicked mid-update; the estate is still
        // the best state we have, so keep serving it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The axum fallback handler: every path comes here.
pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    // No connection timer runs while the request is handled.
    let _in_flight = request
        .extensions()
        .get::<ConnectInfo<Activity>>()
        .map(|info| info.0.begin_request());
    let (parts, body) = request.into_parts();
    let request_id = Uuid::new_v4().to_string();
    let correlation = header_text(&parts.headers, "x-ms-correlation-request-id")
        .or_else(|| header_text(&parts.headers, "x-ms-client-request-id"))
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let client_request_id = header_text(&parts.headers, "x-ms-client-request-id");
    let timeout = shared.settings.header_timeout;
    let mut resp = match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Err(_) => error_response(&ArmError::new(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeout",
            format!(
                "The request body did not arrive within {} s.",
                timeout.as_secs_f64()
            ),
        )),
        Ok(Err(_)) => error_response(&ArmError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            "The request body is larger than the 4 MB ARM accepts.",
        )),
        Ok(Ok(bytes)) => {
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
        if let Err(e) = check_admin(&shared.settings, &req) {
            return error_response(&e);
        }
        return match guarded(|| admin::handle(shared, &req)) {
            Ok(reply) => reply_response(reply),
            Err(e) => error_response(&e),
        };
    }
    // The Retail Prices API is public: no token, as on prices.azure.com.
    let prices = routes::prices::is_prices_path(&req.path);
    if !prices && let Err(e) = authenticate(&shared.settings, &req.headers) {
        return error_response(&e);
    }

    let fired = shared.lock().faults.fire(req.method.as_str(), &req.path);
    let mut fail_lro = None;
    let mut drop_next_link = false;
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
            FaultKind::EmptyNextLink => drop_next_link = true,
        }
    }
    if shared.settings.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(
            shared.settings.latency_ms.min(600_000),
        ))
        .await;
    }

    let base_url =
        request_base_url(&req.headers).unwrap_or_else(|| shared.settings.base_url.clone());
    if prices {
        let page_size = shared.settings.page_size.max(1);
        return match guarded(|| routes::prices::handle(&req, &base_url, page_size)) {
            Ok(reply) => reply_response(without_next_link(reply, drop_next_link)),
            Err(e) => error_response(&e),
        };
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
        let result = guarded(|| routes::run(&mut ctx, &route, &req));
        // Answered only once saved: a change that cannot be saved is undone instead.
        match result {
            Ok(reply) if is_write => persist::commit(shared, inner).map(|()| reply),
            other => other,
        }
    };
    let mut resp = match result {
        Ok(reply) => reply_response(without_next_link(reply, drop_next_link)),
        Err(e) => error_response(&e),
    };
    for (name, value) in throttle_headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    resp
}

/// The reply with its next-page link emptied, when an `emptyNextLink` fault fired.
fn without_next_link(mut reply: Reply, drop: bool) -> Reply {
    if drop && let Some(body) = reply.body.as_mut().and_then(|b| b.as_object_mut()) {
        if body.contains_key("NextPageLink") {
            body.insert("NextPageLink".into(), serde_json::Value::Null);
        }
        body.remove("nextLink");
    }
    reply
}

/// Runs a handler; should it ever panic, the client still gets an ARM 500 rather than a
/// cut connection. (Handlers are written not to panic; this is the second line.)
fn guarded(f: impl FnOnce() -> ArmResult<Reply>) -> ArmResult<Reply> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ArmError::internal(
            "The emulator hit an internal error handling this request.",
        ))
    })
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
