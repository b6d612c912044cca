//! The HTTP core: one request with pacing, token, retries and error mapping.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::body::{BodyError, read_capped};
use super::endpoint::{
    CrossOriginRedirect, host_and_port, redirect_policy, same_origin, validate_endpoint,
};
use super::error::{ArmError, RequestContext};
use super::limiter::{BucketConfig, Limiter, OpKind, Ticket};
use super::proxy::ProxyConfig;
use super::retry::{backoff, retry_after};
use crate::auth::TokenSource;
use serde_json::value::RawValue;

use crate::model::{ArmErrorBody, Page, shared_texts};

/// Tuning for retries, timeouts, polling and pacing.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Retries after the first attempt (429, 5xx, network errors).
    pub max_retries: u32,
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited out: the 429 is returned.
    pub max_retry_after: Duration,
    pub request_timeout: Duration,
    /// LRO poll interval when the server sends no `Retry-After`.
    pub default_poll_interval: Duration,
    pub max_poll_interval: Duration,
    /// Requests in flight per subscription.
    pub per_subscription_concurrency: usize,
    /// Client-side ARM token buckets; `None` turns pacing off.
    pub buckets: Option<BucketConfig>,
    /// The proxy for https endpoints; loopback endpoints never use one.
    pub proxy: ProxyConfig,
    /// Largest response body read, in bytes; past it the request fails with
    /// [`ArmError::TooLarge`]. ARM pages are far smaller; the cap bounds memory when a
    /// server misbehaves.
    pub max_response_bytes: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_backoff: Duration::from_millis(400),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            request_timeout: Duration::from_secs(60),
            default_poll_interval: Duration::from_secs(5),
            max_poll_interval: Duration::from_secs(60),
            per_subscription_concurrency: 8,
            buckets: Some(BucketConfig::default()),
            proxy: ProxyConfig::from_env(),
            max_response_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Counters for benchmarks and the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientStats {
    pub requests: u64,
    pub retries: u64,
    pub throttled: u64,
}

/// The ARM client. Cheap to clone; all clones share pacing and counters.
#[derive(Clone)]
pub struct ArmClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    tokens: Arc<dyn TokenSource>,
    limiter: Limiter,
    options: ClientOptions,
    requests: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
    /// List items that could not be read, for the activity log (see `take_unreadable`).
    unreadable: std::sync::Mutex<Vec<String>>,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient")
            .field("base", &self.inner.base.as_str())
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

/// A response that passed status checks.
pub(crate) struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    pub ctx: RequestContext,
}

impl Response {
    /// The body parsed; repeated strings in it share one allocation ([`shared_texts`]).
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, ArmError> {
        shared_texts(|| serde_json::from_slice(&self.body)).map_err(|e| ArmError::Decode {
            status: self.status.as_u16(),
            message: format!("{e}; body starts {:?}", snippet(&self.body)),
            ctx: self.ctx.clone(),
        })
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name)?.to_str().ok().map(str::to_owned)
    }
}

/// One request to make.
#[derive(Clone)]
pub(crate) struct Request {
    pub method: Method,
    pub url: Url,
    pub body: Option<serde_json::Value>,
    /// Safe to send again after a 5xx or a dropped connection.
    pub idempotent: bool,
    /// Send `If-None-Match: *`: create, never overwrite.
    pub create_only: bool,
}

impl ArmClient {
    /// A client for `endpoint` (validated: https unless loopback).
    pub fn new(
        endpoint: &str,
        tokens: Arc<dyn TokenSource>,
        options: ClientOptions,
    ) -> Result<Self, ArmError> {
        let base = validate_endpoint(endpoint)?;
        // `no_proxy` first: reqwest would otherwise read the proxy variables itself, for
        // every host including loopback.
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .timeout(options.request_timeout)
            .redirect(redirect_policy(base.clone()))
            .user_agent(concat!("rpdesk/", env!("CARGO_PKG_VERSION")));
        if let Some(proxy) = options.proxy.for_endpoint(&base)? {
            builder = builder.proxy(proxy);
        }
        let http = builder
            .build()
            .map_err(|e| ArmError::Endpoint(format!("cannot build HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                tokens,
                limiter: Limiter::new(options.buckets, options.per_subscription_concurrency),
                options,
                requests: AtomicU64::new(0),
                retries: AtomicU64::new(0),
                throttled: AtomicU64::new(0),
                unreadable: std::sync::Mutex::new(Vec::new()),
            }),
        })
    }

    /// The endpoint this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// What signs the requests.
    pub fn token_description(&self) -> String {
        self.inner.tokens.describe()
    }

    /// Who the requests are signed as, from the token's claims (`None` for a static token
    /// that is not a JWT, or when no token can be had).
    pub async fn signed_in_principal(&self) -> Option<String> {
        let token = self.inner.tokens.token().await.ok()?;
        crate::auth::principal_of(&token)
    }

    /// Counters since the client was made.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.inner.requests.load(Ordering::Relaxed),
            retries: self.inner.retries.load(Ordering::Relaxed),
            throttled: self.inner.throttled.load(Ordering::Relaxed),
        }
    }

    /// List items skipped since the last call because they could not be read.
    pub fn take_unreadable(&self) -> Vec<String> {
        self.inner
            .unreadable
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }

    pub(crate) fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// `base + path` with `api-version` and extra query pairs.
    pub(crate) fn url(
        &self,
        path: &str,
        api_version: &str,
        query: &[(&str, &str)],
    ) -> Result<Url, ArmError> {
        let mut url = self
            .inner
            .base
            .join(path)
            .map_err(|e| ArmError::InvalidRequest(format!("bad path {path:?}: {e}")))?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("api-version", api_version);
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// The URL listing a provider's resources in a subscription, or in one of its resource
    /// groups: `collection_url(sub, Some("rg"), "Microsoft.Compute/disks", …)`.
    pub(crate) fn collection_url(
        &self,
        subscription_id: &str,
        resource_group: Option<&str>,
        resource_type: &str,
        api_version: &str,
        query: &[(&str, &str)],
    ) -> Result<Url, ArmError> {
        let scope = match resource_group {
            Some(rg) => format!("/subscriptions/{subscription_id}/resourceGroups/{rg}"),
            None => format!("/subscriptions/{subscription_id}"),
        };
        self.url(
            &format!("{scope}/providers/{resource_type}"),
            api_version,
            query,
        )
    }

    /// Parses a server-given URL (nextLink, polling URL); refuses other origins so the
    /// token is never sent elsewhere.
    pub(crate) fn follow_url(&self, link: &str) -> Result<Url, ArmError> {
        let url = self.inner.base.join(link).map_err(|e| ArmError::Decode {
            status: 200,
            message: format!("bad link {link:?}: {e}"),
            ctx: RequestContext::default(),
        })?;
        if !same_origin(&self.inner.base, &url) {
            return Err(ArmError::Decode {
                status: 200,
                message: format!(
                    "the server sent a link to another host ({}); not followed",
                    url.host_str().unwrap_or("?")
                ),
                ctx: RequestContext::default(),
            });
        }
        Ok(url)
    }

    /// GET and decode.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T, ArmError> {
        self.send(Request {
            method: Method::GET,
            url,
            body: None,
            idempotent: true,
            create_only: false,
        })
        .await?
        .json()
    }

    /// GET one resource of the expected kind, with `$expand=<expand>` when asked.
    pub(crate) async fn get_resource<T: DeserializeOwned>(
        &self,
        id: &crate::model::ResourceId,
        kind: &str,
        api_version: &str,
        expand: Option<&str>,
    ) -> Result<T, ArmError> {
        super::ops::expect_kind(id, kind)?;
        let query: Vec<(&str, &str)> = expand.map(|e| ("$expand", e)).into_iter().collect();
        let url = self.url(id.as_str(), api_version, &query)?;
        self.get_json(url).await
    }

    /// GET a resource as raw JSON (the inspector's raw view).
    pub async fn get_raw(
        &self,
        id_or_path: &str,
        api_version: &str,
    ) -> Result<serde_json::Value, ArmError> {
        let url = self.url(id_or_path, api_version, &[])?;
        self.get_json(url).await
    }

    /// Every item of a paged list, following `nextLink` verbatim.
    pub(crate) async fn list_all<T: DeserializeOwned>(
        &self,
        first: Url,
    ) -> Result<Vec<T>, ArmError> {
        let mut out = Vec::new();
        self.list_pages(first, |page: Vec<T>| out.extend(page))
            .await?;
        Ok(out)
    }

    /// Calls `on_page` for each page as it arrives.
    pub(crate) async fn list_pages<T: DeserializeOwned>(
        &self,
        first: Url,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<(), ArmError> {
        let mut next = Some(first);
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) {
                return Err(ArmError::Decode {
                    status: 200,
                    message: format!(
                        "the server repeated a nextLink ({}); stopped paging",
                        url.path()
                    ),
                    ctx: RequestContext::default(),
                });
            }
            // Items are read one by one from their text (no intermediate JSON tree): an
            // item rpdesk cannot read is reported, and the rest of the list still arrives.
            let page: Page<Box<RawValue>> = self.get_json(url.clone()).await?;
            let mut items = Vec::with_capacity(page.value.len());
            let parsed: Vec<_> = shared_texts(|| {
                page.value
                    .iter()
                    .map(|raw| serde_json::from_str::<T>(raw.get()))
                    .collect()
            });
            for (i, (raw, item)) in page.value.iter().zip(parsed).enumerate() {
                match item {
                    Ok(item) => items.push(item),
                    Err(e) => {
                        let name = serde_json::from_str::<IdOnly>(raw.get())
                            .ok()
                            .and_then(|x| x.id);
                        let what = name.unwrap_or_else(|| format!("item {i} of {}", url.path()));
                        tracing::warn!(%what, error = %e, "skipped an unreadable list item");
                        if let Ok(mut list) = self.inner.unreadable.lock() {
                            list.push(format!("{what}: {e}"));
                        }
                    }
                }
            }
            on_page(items);
            if let Some(link) = page.next_link.filter(|l| !l.is_empty()) {
                next = Some(self.follow_url(&link)?);
            }
        }
        Ok(())
    }

    /// Sends with pacing, a fresh token and retries; maps error statuses to [`ArmError`].
    pub(crate) async fn send(&self, request: Request) -> Result<Response, ArmError> {
        let opts = &self.inner.options;
        let scope = subscription_scope(request.url.path());
        let kind = match request.method {
            Method::GET | Method::HEAD => OpKind::Read,
            Method::DELETE => OpKind::Delete,
            _ => OpKind::Write,
        };
        let mut attempt = 0u32;
        loop {
            let ticket = self.inner.limiter.acquire(&scope, kind).await;
            let token = self.inner.tokens.token().await?;
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            let mut builder = self
                .inner
                .http
                .request(request.method.clone(), request.url.clone())
                .bearer_auth(token.secret())
                .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string());
            if let Some(body) = &request.body {
                builder = builder.json(body);
            }
            if request.create_only {
                builder = builder.header("If-None-Match", "*");
            }
            let mut ctx = RequestContext {
                method: request.method.to_string(),
                path: path_and_query(&request.url),
                ..Default::default()
            };
            let outcome = builder.send().await;
            let retry_wait = match outcome {
                // A refused redirect would be refused again: not retried.
                Err(e) if e.is_redirect() => return Err(redirect_error(&e, ctx)),
                Err(e) => {
                    let message = transport_message(&e);
                    if !request.idempotent || attempt >= opts.max_retries {
                        return Err(ArmError::Transport { message, ctx });
                    }
                    tracing::debug!(%message, attempt, "retrying after a network error");
                    backoff(attempt, opts.base_backoff, opts.max_backoff)
                }
                Ok(resp) => {
                    let status = resp.status();
                    let headers = resp.headers().clone();
                    ctx.request_id = header(&headers, "x-ms-request-id");
                    ctx.correlation_id = header(&headers, "x-ms-correlation-request-id");
                    ctx.retry_after_secs = retry_after(&headers).map(|d| d.as_secs());
                    self.observe_ratelimit(&scope, &headers, &ticket);
                    let body = match read_capped(resp, opts.max_response_bytes).await {
                        Ok(b) => b,
                        // The same request would bring the same body: not retried.
                        Err(BodyError::TooLarge) => {
                            return Err(ArmError::TooLarge {
                                status: status.as_u16(),
                                limit: opts.max_response_bytes,
                                ctx,
                            });
                        }
                        Err(BodyError::Transport(e)) => {
                            let message = transport_message(&e);
                            if !request.idempotent || attempt >= opts.max_retries {
                                return Err(ArmError::Transport { message, ctx });
                            }
                            self.inner.retries.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(backoff(
                                attempt,
                                opts.base_backoff,
                                opts.max_backoff,
                            ))
                            .await;
                            attempt += 1;
                            continue;
                        }
                    };
                    if status.is_success() || status.is_redirection() {
                        return Ok(Response {
                            status,
                            headers,
                            body,
                            ctx,
                        });
                    }
                    let error = to_error(status, &headers, &body, ctx);
                    let server_wait = retry_after(&headers);
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        self.inner.throttled.fetch_add(1, Ordering::Relaxed);
                        // ARM had nothing left for this kind of request.
                        self.inner
                            .limiter
                            .observe_remaining(&scope, kind, 0.0, &ticket);
                        // A 429 was not processed, so any method may be sent again, but never
                        // before Retry-After: an early retry resets ARM's window.
                        let wait = server_wait.unwrap_or_else(|| {
                            backoff(attempt, opts.base_backoff, opts.max_backoff)
                        });
                        if attempt >= opts.max_retries || wait > opts.max_retry_after {
                            return Err(error);
                        }
                        wait
                    } else if is_transient(status)
                        && request.idempotent
                        && attempt < opts.max_retries
                    {
                        let jittered = backoff(attempt, opts.base_backoff, opts.max_backoff);
                        server_wait.map_or(jittered, |w| w.max(jittered).min(opts.max_retry_after))
                    } else {
                        return Err(error);
                    }
                }
            };
            self.inner.retries.fetch_add(1, Ordering::Relaxed);
            drop(ticket);
            tokio::time::sleep(retry_wait).await;
            attempt += 1;
        }
    }

    fn observe_ratelimit(&self, scope: &str, headers: &HeaderMap, ticket: &Ticket) {
        for (name, kind) in [
            ("x-ms-ratelimit-remaining-subscription-reads", OpKind::Read),
            (
                "x-ms-ratelimit-remaining-subscription-writes",
                OpKind::Write,
            ),
            (
                "x-ms-ratelimit-remaining-subscription-deletes",
                OpKind::Delete,
            ),
        ] {
            if let Some(remaining) =
                header(headers, name).and_then(|v| v.trim().parse::<f64>().ok())
            {
                self.inner
                    .limiter
                    .observe_remaining(scope, kind, remaining, ticket);
            }
        }
    }
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 500 | 502 | 503 | 504)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The pacing scope of a path: its subscription, or the tenant.
fn subscription_scope(path: &str) -> String {
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    match (parts.next(), parts.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") => id.to_ascii_lowercase(),
        _ => "tenant".to_owned(),
    }
}

/// A redirect that was not followed: to another origin (an answer from elsewhere is not
/// the endpoint's), or one too many.
fn redirect_error(e: &reqwest::Error, ctx: RequestContext) -> ArmError {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<CrossOriginRedirect>() {
            return ArmError::UnexpectedResponse {
                status: refused.status,
                summary: refused.to_string(),
                ctx,
            };
        }
        source = s.source();
    }
    ArmError::Transport {
        message: transport_message(e),
        ctx,
    }
}

/// A network failure in plain words: what could not be reached, and the root cause.
fn transport_message(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let host = e
        .url()
        .map(host_and_port)
        .unwrap_or_else(|| "the server".to_owned());
    let mut root = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        root = s.to_string();
        source = s.source();
    }
    if e.is_timeout() {
        format!("{host} did not answer in time")
    } else if e.is_connect() {
        format!("cannot connect to {host} ({root})")
    } else {
        format!("the connection to {host} failed ({root})")
    }
}

pub(crate) fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(160)]).into_owned()
}

/// Maps an error status and body to the right [`ArmError`].
fn to_error(status: StatusCode, headers: &HeaderMap, body: &[u8], ctx: RequestContext) -> ArmError {
    if let Some(detail) = ArmErrorBody::parse(body) {
        return ArmError::Api {
            status: status.as_u16(),
            code: if detail.code.is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("Error")
                    .replace(' ', "")
            } else {
                detail.code
            },
            message: detail.message,
            target: detail.target,
            details: detail.details,
            ctx,
        };
    }
    let is_html = header(headers, CONTENT_TYPE.as_str()).is_some_and(|c| c.contains("html"));
    let summary = if is_html {
        html_title(body).unwrap_or_else(|| "an HTML error page".to_owned())
    } else if body.is_empty() {
        status.canonical_reason().unwrap_or("no body").to_owned()
    } else {
        snippet(body)
    };
    ArmError::UnexpectedResponse {
        status: status.as_u16(),
        summary,
        ctx,
    }
}

fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    Some(text[start..end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_the_subscription() {
        assert_eq!(
            subscription_scope("/subscriptions/ABC/resourceGroups/x"),
            "abc"
        );
        assert_eq!(subscription_scope("/subscriptions"), "tenant");
    }

    #[test]
    fn html_error_pages_become_typed_errors() {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, "text/html".parse().unwrap());
        let e = to_error(
            StatusCode::BAD_GATEWAY,
            &h,
            b"<html><title>502 Bad Gateway</title></html>",
            RequestContext::default(),
        );
        assert!(
            matches!(e, ArmError::UnexpectedResponse { status: 502, ref summary, .. } if summary == "502 Bad Gateway")
        );
    }
}

/// A list item's `id`, to name an item that could not be read.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: Option<String>,
}
