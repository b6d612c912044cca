//! The cost views' work off the UI thread. Prices: from the cache on disk while it is
//! fresh, else from the Retail Prices endpoint (then cached with the date fetched), else
//! the cache however old, else the embedded table; the price book always says which it
//! is and from when. Figures: a fleet's take longer than a frame, so they are computed
//! on a blocking thread.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Backend, BackendEvent};
use crate::arm::{ClientOptions, PricesClient, RETAIL_PRICES_ENDPOINT};
use crate::cost::{EMBEDDED_AS_OF, PriceBook, PriceSource, file_part};
use crate::model::{RetailPrice, Timestamp};

/// How long cached prices are used without asking the endpoint again (Azure revises its
/// price list monthly at most).
pub const CACHE_FRESH_SECS: i64 = 7 * 86_400;

/// What to load.
#[derive(Clone, Debug)]
pub struct PricesRequest {
    /// The Retail Prices endpoint; `None`: offline (the cache, else the embedded table).
    pub endpoint: Option<String>,
    /// Where cached price lists are kept; `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// Names the endpoint in the cache file (`azure`, `demo`).
    pub cache_key: String,
    /// ISO currency code.
    pub currency: String,
    /// ARM region names.
    pub regions: Vec<String>,
    /// Ask the endpoint even when the cache is fresh.
    pub refresh: bool,
    /// Now, Unix seconds.
    pub now_unix: i64,
    /// Retry timing, body cap and proxy, as for ARM.
    pub options: ClientOptions,
    /// Items per page the client expects until a page shows the server's own.
    pub page_size: usize,
}

/// What `--prices-endpoint` takes for "no endpoint": the cache, else the embedded table.
pub const OFFLINE: &str = "offline";

/// The Retail Prices endpoint for a connection and the cache key naming it: `setting`
/// (`--prices-endpoint`: a URL, or [`OFFLINE`]) when given, else the demo's own emulator
/// (`demo_base`) for the demo, else Azure's (a custom ARM endpoint has no price list).
pub fn prices_target(
    spec: Option<&super::ConnectionSpec>,
    demo_base: Option<String>,
    setting: Option<&str>,
) -> (Option<String>, String) {
    if let Some(endpoint) = setting {
        if endpoint.eq_ignore_ascii_case(OFFLINE) {
            return (None, "offline".into());
        }
        let key = url::Url::parse(endpoint)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "custom".into());
        return (Some(endpoint.to_owned()), key);
    }
    match spec {
        Some(super::ConnectionSpec::Demo { .. }) | None => (demo_base, "demo".into()),
        _ => (Some(RETAIL_PRICES_ENDPOINT.to_owned()), "azure".into()),
    }
}

/// A cached price list.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheFile {
    endpoint: String,
    currency: String,
    fetched_unix: i64,
    regions: Vec<String>,
    items: Vec<RetailPrice>,
}

impl PricesRequest {
    fn cache_path(&self) -> Option<PathBuf> {
        let key = file_part(&format!("{}-{}", self.cache_key, self.currency));
        Some(self.cache_dir.as_ref()?.join(format!("prices-{key}.json")))
    }
}

async fn read_cache(path: &Path) -> Option<CacheFile> {
    let bytes = tokio::fs::read(path).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes the cache next to its final name, then renames it (a crash never leaves half a
/// file).
async fn write_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let tmp = path.with_extension("json.tmp");
    let bytes = serde_json::to_vec(cache).map_err(std::io::Error::other)?;
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await
}

fn cached_book(cache: &CacheFile, currency: &str) -> PriceBook {
    PriceBook::from_items(
        &cache.items,
        currency,
        PriceSource::Cache {
            endpoint: cache.endpoint.clone(),
            fetched_unix: cache.fetched_unix,
        },
    )
}

/// The price book for `request` (never fails: the embedded table is the last resort).
pub async fn load_prices(request: &PricesRequest) -> PriceBook {
    let path = request.cache_path();
    let cache = match &path {
        Some(p) => read_cache(p).await,
        None => None,
    };
    let covers = |c: &CacheFile| request.regions.iter().all(|r| c.regions.contains(r));
    if let Some(c) = &cache
        && !request.refresh
        && request.now_unix - c.fetched_unix < CACHE_FRESH_SECS
        && covers(c)
    {
        return cached_book(c, &request.currency);
    }
    let why = match &request.endpoint {
        None => "Offline".to_owned(),
        Some(endpoint) => match fetch(request, endpoint).await {
            Ok((book, items)) => {
                if let Some(p) = &path {
                    let file = CacheFile {
                        endpoint: match &book.source {
                            PriceSource::Live { endpoint, .. } => endpoint.clone(),
                            _ => endpoint.clone(),
                        },
                        currency: request.currency.clone(),
                        fetched_unix: request.now_unix,
                        regions: request.regions.clone(),
                        items,
                    };
                    if let Err(e) = write_cache(p, &file).await {
                        tracing::warn!(path = %p.display(), "cannot cache prices: {e}");
                    }
                }
                return book;
            }
            Err(e) => format!("The price service at {endpoint} could not be used ({e})"),
        },
    };
    match cache {
        Some(c) => {
            let when = Timestamp::from_unix_secs(c.fetched_unix).local_text();
            cached_book(&c, &request.currency)
                .with_note(format!("{why}: using the prices cached on {when}"))
        }
        None => {
            let currency = if request.currency.eq_ignore_ascii_case("USD") {
                String::new()
            } else {
                format!(", in USD (it has no {})", request.currency)
            };
            PriceBook::embedded().with_note(format!(
                "{why}: using the embedded price table dated {EMBEDDED_AS_OF}{currency}"
            ))
        }
    }
}

async fn fetch(
    request: &PricesRequest,
    endpoint: &str,
) -> Result<(PriceBook, Vec<RetailPrice>), crate::arm::ArmError> {
    let client =
        PricesClient::new(endpoint, request.options.clone())?.with_page_size(request.page_size);
    let items = client
        .snapshot_prices(&request.regions, &request.currency)
        .await?;
    let source = PriceSource::Live {
        endpoint: client.endpoint(),
        fetched_unix: request.now_unix,
    };
    let book = PriceBook::from_items(&items, &request.currency, source);
    Ok((book, items))
}

impl Backend {
    /// Computes a cost view's figures on a blocking thread (a large fleet takes longer
    /// than a frame); they arrive as [`BackendEvent::Cost`] with `tag`. `retired`, an
    /// estate the UI no longer uses, is freed there too.
    pub fn compute_cost(
        &self,
        tag: usize,
        estate: std::sync::Arc<crate::cost::CostEstate>,
        inputs: crate::cost::CostInputs,
        retired: Option<std::sync::Arc<crate::cost::CostEstate>>,
    ) {
        let this = self.clone();
        self.spawn(async move {
            let started = std::time::Instant::now();
            let computed = tokio::task::spawn_blocking(move || {
                drop(retired);
                crate::cost::model(&estate, inputs)
            })
            .await;
            match computed {
                Ok(model) => {
                    let event = BackendEvent::Cost {
                        tag,
                        model: std::sync::Arc::new(model),
                        elapsed: started.elapsed(),
                    };
                    this.emit(event).await;
                }
                Err(e) => tracing::error!("the cost computation stopped: {e}"),
            }
        });
    }

    /// Loads prices off the UI thread; the book arrives as [`BackendEvent::Prices`].
    pub fn load_prices(&self, request: PricesRequest) {
        let this = self.clone();
        self.spawn(async move {
            let book = load_prices(&request).await;
            this.emit(BackendEvent::Prices(Box::new(book))).await;
        });
    }
}
