//! The HTTP core: one request with pacing, token, retries and error mapping.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{ArmError, RequestContext};
use super::limiter::{BucketConfig, Limiter, OpKind, Ticket};
use super::proxy::ProxyConfig;
pub(crate) use super::transport::Response;
use super::transport::{PageGuard, Transport, follow_link, header, path_and_query};
use crate::auth::TokenSource;
use serde_json::value::RawValue;

use crate::model::{Page, shared_texts};

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
    /// Requests in flight in all. Each holds a connection and its read buffer, so this
    /// bounds the memory a load of many subscriptions takes while it runs.
    pub total_concurrency: usize,
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
            total_concurrency: 64,
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
    transport: Transport,
    tokens: Arc<dyn TokenSource>,
    limiter: Limiter,
    /// List items that could not be read, for the activity log (see `take_unreadable`).
    unreadable: std::sync::Mutex<Vec<String>>,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient")
            .field("base", &self.inner.transport.base.as_str())
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
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
        let limiter = Limiter::new(
            options.buckets,
            options.per_subscription_concurrency,
            options.total_concurrency,
        );
        Ok(Self {
            inner: Arc::new(Inner {
                transport: Transport::new(endpoint, options)?,
                tokens,
                limiter,
                unreadable: std::sync::Mutex::new(Vec::new()),
            }),
        })
    }

    /// The endpoint this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.transport.base
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
        self.inner.transport.counters.stats()
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
        &self.inner.transport.options
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
            .transport
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
        follow_link(&self.inner.transport.base, link)
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
        let mut guard = PageGuard::default();
        while let Some(url) = next.take() {
            guard.admit(&url)?;
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
        let scope = subscription_scope(request.url.path());
        let kind = match request.method {
            Method::GET | Method::HEAD => OpKind::Read,
            Method::DELETE => OpKind::Delete,
            _ => OpKind::Write,
        };
        let (inner, request, scope_ref) = (&*self.inner, &request, &scope);
        let attempt = move || async move {
            let scope = scope_ref;
            let ticket = inner.limiter.acquire(scope, kind).await;
            let token = inner.tokens.token().await?;
            inner.transport.counters.request();
            let mut builder = inner
                .transport
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
            let ctx = RequestContext {
                method: request.method.to_string(),
                path: path_and_query(&request.url),
                ..Default::default()
            };
            Ok((builder.send().await, ctx, ticket))
        };
        inner
            .transport
            .send(request.idempotent, attempt, |headers, status, ticket| {
                self.observe_ratelimit(&scope, headers, ticket);
                if status == StatusCode::TOO_MANY_REQUESTS {
                    // ARM had nothing left for this kind of request.
                    self.inner
                        .limiter
                        .observe_remaining(&scope, kind, 0.0, ticket);
                }
            })
            .await
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

/// The pacing scope of a path: its subscription, or the tenant.
fn subscription_scope(path: &str) -> String {
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    match (parts.next(), parts.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") => id.to_ascii_lowercase(),
        _ => "tenant".to_owned(),
    }
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
}

/// A list item's `id`, to name an item that could not be read.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: Option<String>,
}
