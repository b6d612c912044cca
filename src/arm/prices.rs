//! The Azure Retail Prices client: `GET /api/retail/prices` on `https://prices.azure.com`
//! (or the demo emulator), without a token — the ARM bearer token is never sent here. It
//! shares the ARM client's transport (retries, body cap, proxy rules, same-origin links,
//! loop guard) and follows `NextPageLink`; when a full page comes back with an empty
//! `NextPageLink` (the service has been seen dropping it while more items remained), it
//! asks for one more page with `$skip`.

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::Method;
use url::Url;

use super::client::{ClientOptions, ClientStats};
use super::error::{ArmError, RequestContext};
use super::transport::{PageGuard, Transport, follow_link, path_and_query};
use crate::cost::{INSTANT_ACCESS_SKU_PART, SNAPSHOT_PRODUCT, SNAPSHOT_SKU_LRS, SNAPSHOT_SKU_ZRS};
use crate::model::{RetailPrice, RetailPricePage};

/// Azure's Retail Prices endpoint.
pub const RETAIL_PRICES_ENDPOINT: &str = "https://prices.azure.com";
/// The path of the price list.
pub const RETAIL_PRICES_PATH: &str = "/api/retail/prices";
/// The api-version sent (filter values are case-sensitive from this version on).
pub const RETAIL_PRICES_API_VERSION: &str = "2023-01-01-preview";
/// Azure's page size, until a page with a `NextPageLink` shows the server's own.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// Regions per query (the filter grows with each).
const REGIONS_PER_QUERY: usize = 10;
/// Pages read for one query at most.
const MAX_PAGES: usize = 500;

/// A Retail Prices client. Cheap to clone; clones share counters.
#[derive(Clone)]
pub struct PricesClient {
    inner: Arc<Transport>,
    page_size: usize,
}

impl std::fmt::Debug for PricesClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PricesClient")
            .field("base", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

impl PricesClient {
    /// A client for `endpoint` (https, or plain http on loopback), with the ARM client's
    /// retry timing, body cap and proxy rules from `options`.
    pub fn new(endpoint: &str, options: ClientOptions) -> Result<Self, ArmError> {
        Ok(Self {
            inner: Arc::new(Transport::new(endpoint, options)?),
            page_size: DEFAULT_PAGE_SIZE,
        })
    }

    /// The same client expecting pages of `size` items until the server shows its own.
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// The endpoint's origin, e.g. `https://prices.azure.com`.
    pub fn endpoint(&self) -> String {
        self.inner.base.origin().ascii_serialization()
    }

    /// Requests, retries and 429s so far.
    pub fn stats(&self) -> ClientStats {
        self.inner.counters.stats()
    }

    /// The `$filter` for restore point storage in `regions` (ARM names): the Standard HDD
    /// snapshot SKUs, and any instant access SKU.
    pub fn snapshot_filter(regions: &[String]) -> String {
        let regions = regions
            .iter()
            .map(|r| format!("armRegionName eq '{}'", quote(r)))
            .collect::<Vec<_>>()
            .join(" or ");
        format!(
            "serviceName eq 'Storage' and priceType eq 'Consumption' and ({regions}) and \
             ((productName eq '{SNAPSHOT_PRODUCT}' and (skuName eq '{SNAPSHOT_SKU_LRS}' or \
             skuName eq '{SNAPSHOT_SKU_ZRS}')) or contains(skuName, '{INSTANT_ACCESS_SKU_PART}'))"
        )
    }

    /// Restore point storage prices for `regions` in `currency`.
    pub async fn snapshot_prices(
        &self,
        regions: &[String],
        currency: &str,
    ) -> Result<Vec<RetailPrice>, ArmError> {
        let mut out = Vec::new();
        for chunk in regions.chunks(REGIONS_PER_QUERY) {
            out.extend(self.list(&Self::snapshot_filter(chunk), currency).await?);
        }
        Ok(out)
    }

    /// Every item matching `filter` in `currency`, page by page.
    pub async fn list(&self, filter: &str, currency: &str) -> Result<Vec<RetailPrice>, ArmError> {
        let mut first = self
            .inner
            .base
            .join(RETAIL_PRICES_PATH)
            .map_err(|e| ArmError::InvalidRequest(format!("bad prices path: {e}")))?;
        first
            .query_pairs_mut()
            .append_pair("api-version", RETAIL_PRICES_API_VERSION)
            .append_pair("currencyCode", &format!("'{}'", quote(currency)))
            .append_pair("$filter", filter);
        let mut page_size = self.page_size;
        let mut guard = PageGuard::default();
        let mut seen: HashSet<(String, String, String, String)> = HashSet::new();
        let mut items = Vec::new();
        let mut next = Some(first.clone());
        while let Some(url) = next.take() {
            guard.admit(&url)?;
            if guard.pages() > MAX_PAGES {
                return Err(paging_error(format!(
                    "more than {MAX_PAGES} pages of prices; stopped"
                )));
            }
            let page: RetailPricePage = self.get(url).await?.json()?;
            let count = page.items.len();
            let mut fresh = 0;
            for item in page.items {
                let key = (
                    item.meter_id.clone(),
                    item.sku_id.clone(),
                    item.arm_region_name.clone(),
                    format!(
                        "{}|{}|{}",
                        item.kind, item.tier_minimum_units, item.currency_code
                    ),
                );
                if seen.insert(key) {
                    fresh += 1;
                    items.push(item);
                }
            }
            match page.next_page_link.filter(|l| !l.trim().is_empty()) {
                Some(link) => {
                    page_size = page_size.max(count);
                    next = Some(follow_link(&self.inner.base, &link)?);
                }
                // A full page without a link, and it brought something new: ask once more.
                None if count > 0 && count >= page_size && fresh > 0 => {
                    tracing::info!(
                        skip = items.len(),
                        "a full page of prices came without NextPageLink; asking for the next with $skip"
                    );
                    next = Some(with_skip(&first, items.len()));
                }
                None => {}
            }
        }
        Ok(items)
    }

    /// One GET, with retries; never an `Authorization` header.
    async fn get(&self, url: Url) -> Result<super::transport::Response, ArmError> {
        let (inner, url) = (&*self.inner, &url);
        let attempt = move || async move {
            inner.counters.request();
            let ctx = RequestContext {
                method: Method::GET.to_string(),
                path: path_and_query(url),
                ..Default::default()
            };
            let sent = inner
                .http
                .get(url.clone())
                .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string())
                .send()
                .await;
            Ok((sent, ctx, ()))
        };
        inner.send(true, attempt, |_, _, _| {}).await
    }
}

/// A filter string value with its quotes doubled (OData).
fn quote(value: &str) -> String {
    value.replace('\'', "''")
}

/// `first` with `$skip=n` in place of any it had.
fn with_skip(first: &Url, n: usize) -> Url {
    let mut url = first.clone();
    let pairs: Vec<(String, String)> = first
        .query_pairs()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("$skip"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("$skip", &n.to_string());
    url
}

fn paging_error(message: String) -> ArmError {
    ArmError::Decode {
        status: 200,
        message,
        ctx: RequestContext::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_names_product_and_sku_per_region() {
        let f = PricesClient::snapshot_filter(&["westeurope".into(), "eastus".into()]);
        assert_eq!(
            f,
            "serviceName eq 'Storage' and priceType eq 'Consumption' and (armRegionName eq \
             'westeurope' or armRegionName eq 'eastus') and ((productName eq 'Standard HDD \
             Managed Disks' and (skuName eq 'Snapshots LRS' or skuName eq 'Snapshots ZRS')) or \
             contains(skuName, 'Instant Access'))"
        );
    }

    #[test]
    fn a_skip_replaces_the_previous_one() {
        let first = Url::parse("http://127.0.0.1:1/api/retail/prices?a=1&$skip=3").unwrap();
        let url = with_skip(&first, 6);
        assert_eq!(url.query(), Some("a=1&%24skip=6"));
    }
}
