//! What every HTTP client of rpdesk shares, whatever it talks to (ARM with a token, the
//! Retail Prices API without one): the reqwest client (timeout, same-origin redirects,
//! the proxy rules), the retry loop (429 honouring `Retry-After`, 5xx and dropped
//! connections with jittered backoff), the body cap, error mapping, counters, and the
//! guards on server-given links (same origin, no loops).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;
use url::Url;

use super::body::{BodyError, read_capped};
use super::client::{ClientOptions, ClientStats};
use super::endpoint::{CrossOriginRedirect, host_and_port, redirect_policy, same_origin};
use super::error::{ArmError, RequestContext};
use super::retry::{backoff, retry_after};
use crate::model::{ArmErrorBody, shared_texts};

/// Idle connections a client keeps per host. A fleet load runs up to 8 requests per
/// subscription at once, so 20 subscriptions open 160 connections; each keeps a read
/// buffer the size of the largest page it read (about 140 KB). Kept idle, they held
/// 22 MB after a `large:10000` load (dhat); beyond this many they are closed.
const IDLE_CONNECTIONS_PER_HOST: usize = 8;

/// A reqwest client for `base`: the request timeout, redirects kept on `base`'s origin,
/// the proxy `options` give for it (never one for loopback), and a small idle pool.
fn http_client(base: &Url, options: &ClientOptions) -> Result<reqwest::Client, ArmError> {
    // `no_proxy` first: reqwest would otherwise read the proxy variables itself, for
    // every host including loopback.
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .timeout(options.request_timeout)
        .pool_max_idle_per_host(IDLE_CONNECTIONS_PER_HOST)
        .redirect(redirect_policy(base.clone()))
        .user_agent(concat!("rpdesk/", env!("CARGO_PKG_VERSION")));
    if let Some(proxy) = options.proxy.for_endpoint(base)? {
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .map_err(|e| ArmError::Endpoint(format!("cannot build HTTP client: {e}")))
}

/// One endpoint as a client talks to it: the reqwest client, the endpoint's base URL, the
/// options and the counters.
#[derive(Debug)]
pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub base: Url,
    pub options: ClientOptions,
    pub counters: Counters,
}

impl Transport {
    /// A transport for `endpoint` (https, or plain http on loopback).
    pub(crate) fn new(endpoint: &str, options: ClientOptions) -> Result<Self, ArmError> {
        let base = super::endpoint::validate_endpoint(endpoint)?;
        let http = http_client(&base, &options)?;
        Ok(Self {
            http,
            base,
            options,
            counters: Counters::default(),
        })
    }

    /// [`send_with_retries`] with this transport's options and counters.
    pub(crate) async fn send<G, F, Fut>(
        &self,
        idempotent: bool,
        attempt: F,
        observe: impl Fn(&HeaderMap, StatusCode, &G),
    ) -> Result<Response, ArmError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Attempt<G>, ArmError>>,
    {
        send_with_retries(&self.options, &self.counters, idempotent, attempt, observe).await
    }
}

/// Requests, retries and 429s, shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub throttled: AtomicU64,
}

impl Counters {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a request sent.
    pub(crate) fn request(&self) {
        Self::bump(&self.requests);
    }

    /// The counts so far.
    pub(crate) fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
        }
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
        header(&self.headers, name)
    }
}

/// One attempt sent: its outcome, the request's context, and a guard held until the
/// outcome is read.
pub(crate) type Attempt<G> = (reqwest::Result<reqwest::Response>, RequestContext, G);

/// What one attempt came to.
enum Step {
    Done(Response),
    Retry(Duration),
    Fail(ArmError),
}

/// Sends until an answer is final: `attempt` sends once and returns the outcome, the
/// request's context and a guard held until the outcome is read (a pacing ticket);
/// `observe` sees every response's headers and status, with the attempt's guard. 429s wait for `Retry-After` (any method: a
/// throttled request was not processed); 5xx and network errors are retried only when
/// `idempotent`; a body past the cap or a refused redirect is never retried.
async fn send_with_retries<G, F, Fut>(
    options: &ClientOptions,
    counters: &Counters,
    idempotent: bool,
    mut attempt: F,
    observe: impl Fn(&HeaderMap, StatusCode, &G),
) -> Result<Response, ArmError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Attempt<G>, ArmError>>,
{
    let mut tries = 0u32;
    loop {
        let (outcome, ctx, guard) = attempt().await?;
        let seen = |headers: &HeaderMap, status: StatusCode| observe(headers, status, &guard);
        let step = read_outcome(outcome, ctx, options, tries, idempotent, &seen, counters).await;
        let wait = match step {
            Step::Done(response) => return Ok(response),
            Step::Fail(error) => return Err(error),
            Step::Retry(wait) => wait,
        };
        Counters::bump(&counters.retries);
        drop(guard);
        tokio::time::sleep(wait).await;
        tries += 1;
    }
}

async fn read_outcome(
    outcome: reqwest::Result<reqwest::Response>,
    mut ctx: RequestContext,
    opts: &ClientOptions,
    attempt: u32,
    idempotent: bool,
    observe: &impl Fn(&HeaderMap, StatusCode),
    counters: &Counters,
) -> Step {
    let may_retry = idempotent && attempt < opts.max_retries;
    let jittered = || backoff(attempt, opts.base_backoff, opts.max_backoff);
    let resp = match outcome {
        // A refused redirect would be refused again: not retried.
        Err(e) if e.is_redirect() => return Step::Fail(redirect_error(&e, ctx)),
        Err(e) => {
            let message = transport_message(&e);
            if !may_retry {
                return Step::Fail(ArmError::Transport { message, ctx });
            }
            tracing::debug!(%message, attempt, "retrying after a network error");
            return Step::Retry(jittered());
        }
        Ok(resp) => resp,
    };
    let status = resp.status();
    let headers = resp.headers().clone();
    ctx.request_id = header(&headers, "x-ms-request-id");
    ctx.correlation_id = header(&headers, "x-ms-correlation-request-id");
    ctx.retry_after_secs = retry_after(&headers).map(|d| d.as_secs());
    observe(&headers, status);
    let body = match read_capped(resp, opts.max_response_bytes).await {
        Ok(b) => b,
        // The same request would bring the same body: not retried.
        Err(BodyError::TooLarge) => {
            return Step::Fail(ArmError::TooLarge {
                status: status.as_u16(),
                limit: opts.max_response_bytes,
                ctx,
            });
        }
        Err(BodyError::Transport(e)) if may_retry => {
            tracing::debug!(error = %transport_message(&e), attempt, "retrying a cut body");
            return Step::Retry(jittered());
        }
        Err(BodyError::Transport(e)) => {
            let message = transport_message(&e);
            return Step::Fail(ArmError::Transport { message, ctx });
        }
    };
    if status.is_success() || status.is_redirection() {
        return Step::Done(Response {
            status,
            headers,
            body,
            ctx,
        });
    }
    let error = to_error(status, &headers, &body, ctx);
    let server_wait = retry_after(&headers);
    if status == StatusCode::TOO_MANY_REQUESTS {
        Counters::bump(&counters.throttled);
        // Never before Retry-After: an early retry resets ARM's window.
        let wait = server_wait.unwrap_or_else(jittered);
        if attempt >= opts.max_retries || wait > opts.max_retry_after {
            return Step::Fail(error);
        }
        Step::Retry(wait)
    } else if is_transient(status) && may_retry {
        Step::Retry(
            server_wait.map_or_else(jittered, |w| w.max(jittered()).min(opts.max_retry_after)),
        )
    } else {
        Step::Fail(error)
    }
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 500 | 502 | 503 | 504)
}

pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// Path and query of a URL (no host, never a token), for error contexts.
pub(crate) fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Parses a server-given link (next page, polling URL) against `base`; refuses other
/// origins, so nothing is ever sent elsewhere.
pub(crate) fn follow_link(base: &Url, link: &str) -> Result<Url, ArmError> {
    let url = base.join(link).map_err(|e| ArmError::Decode {
        status: 200,
        message: format!("bad link {link:?}: {e}"),
        ctx: RequestContext::default(),
    })?;
    if !same_origin(base, &url) {
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

/// Stops paging that loops: a page URL asked for twice is refused.
#[derive(Debug, Default)]
pub(crate) struct PageGuard {
    seen: HashSet<String>,
}

impl PageGuard {
    /// Admits `url` once.
    pub(crate) fn admit(&mut self, url: &Url) -> Result<(), ArmError> {
        if self.seen.insert(url.to_string()) {
            return Ok(());
        }
        Err(ArmError::Decode {
            status: 200,
            message: format!(
                "the server repeated a next-page link ({}); stopped paging",
                url.path()
            ),
            ctx: RequestContext::default(),
        })
    }

    /// Pages admitted so far.
    pub(crate) fn pages(&self) -> usize {
        self.seen.len()
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

    #[test]
    fn links_stay_on_the_origin_and_pages_never_repeat() {
        let base = Url::parse("https://prices.azure.com/api/retail/prices").unwrap();
        assert!(
            follow_link(
                &base,
                "https://prices.azure.com/api/retail/prices?$skip=100"
            )
            .is_ok()
        );
        assert!(follow_link(&base, "https://evil.example/api/retail/prices").is_err());
        let mut guard = PageGuard::default();
        let url = Url::parse("https://prices.azure.com/x?$skip=100").unwrap();
        assert!(guard.admit(&url).is_ok());
        assert!(guard.admit(&url).is_err());
        assert_eq!(guard.pages(), 1);
    }
}
