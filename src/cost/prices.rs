//! Which price a restore point's storage is billed at. Restore points are incremental
//! snapshots, stored on Standard HDD snapshot storage whatever the disk's own type, billed
//! per GB-month of data stored; a region with availability zones stores them as ZRS, the
//! others as LRS, and both are priced alike. The Retail Prices API lists them under the
//! product `Standard HDD Managed Disks` with the SKUs `Snapshots LRS` / `Snapshots ZRS`:
//! rows are matched on product and SKU, never on the meter name alone (other products
//! name their snapshot meters differently, e.g. `Snapshots LRS Snapshots`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{RetailPrice, Timestamp, has_availability_zones};

/// The product restore point storage is billed under.
pub const SNAPSHOT_PRODUCT: &str = "Standard HDD Managed Disks";
/// The SKU of locally redundant snapshot storage.
pub const SNAPSHOT_SKU_LRS: &str = "Snapshots LRS";
/// The SKU of zone-redundant snapshot storage.
pub const SNAPSHOT_SKU_ZRS: &str = "Snapshots ZRS";
/// What instant access SKUs contain (their exact names are not documented by Microsoft;
/// rows are discovered by this substring).
pub const INSTANT_ACCESS_SKU_PART: &str = "Instant Access";

/// The currencies the Retail Prices API serves (`currencyCode`).
pub const CURRENCIES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "AUD", "CAD", "CHF", "INR", "SEK", "NOK", "DKK", "BRL", "KRW",
    "NZD", "CNY", "TWD",
];

/// The date the embedded table was taken.
pub const EMBEDDED_AS_OF: &str = "2024-01-16";
/// Where the embedded table comes from.
pub const EMBEDDED_SOURCE: &str = "Azure Retail Prices rows for Standard HDD Managed Disks, \
    Snapshots LRS and ZRS: $0.05 per GB-month in East US (as the API returned them in public \
    test fixtures) and East US 2 (as Microsoft Japan's Azure support blog quoted them on \
    2024-01-16); other regions are given the East US price";
/// The embedded prices: region, SKU, USD per GB-month.
const EMBEDDED: &[(&str, &str, f64)] = &[
    ("eastus", SNAPSHOT_SKU_LRS, 0.05),
    ("eastus", SNAPSHOT_SKU_ZRS, 0.05),
    ("eastus2", SNAPSHOT_SKU_LRS, 0.05),
    ("eastus2", SNAPSHOT_SKU_ZRS, 0.05),
];
/// The region whose embedded price stands in for regions the table lacks.
const EMBEDDED_DEFAULT_REGION: &str = "eastus";

/// Where a price book's prices come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PriceSource {
    /// Fetched just now from a Retail Prices endpoint.
    Live {
        /// The endpoint's origin, e.g. `https://prices.azure.com`.
        endpoint: String,
        /// When they were fetched.
        fetched_unix: i64,
    },
    /// Read from the cache on disk, fetched earlier from an endpoint.
    Cache {
        /// The endpoint they were fetched from.
        endpoint: String,
        /// When they were fetched.
        fetched_unix: i64,
    },
    /// The table built into rpdesk.
    Embedded,
}

/// One meter's price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meter {
    /// Price per GB-month (Azure's "GB" here is GiB, as in `diskSizeGB`).
    pub per_gib_month: f64,
    /// `meterId`, for reports.
    pub meter_id: String,
    /// `meterName`.
    pub meter_name: String,
    /// `skuName`.
    pub sku_name: String,
    /// `effectiveStartDate`.
    pub effective_start: String,
}

/// The meters found for one region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionPrices {
    /// `Snapshots LRS`.
    pub lrs: Option<Meter>,
    /// `Snapshots ZRS`.
    pub zrs: Option<Meter>,
    /// Instant access storage, per GB-month, when the price list has it.
    pub instant_access: Option<Meter>,
}

/// How the price used for a region was found.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceBasis {
    /// The region's own row for the SKU its snapshots use.
    Listed,
    /// The region's row for the other redundancy (priced alike).
    OtherRedundancy,
    /// No row for the region: another region's price stands in (named).
    StandIn(String),
}

/// The price restore point storage in a region is estimated at.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceUsed {
    /// Per GB-month, in the book's currency.
    pub per_gib_month: f64,
    /// The SKU the region's snapshots use.
    pub sku: &'static str,
    /// How it was found.
    pub basis: PriceBasis,
}

/// Snapshot storage prices per region, in one currency, with where they come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceBook {
    /// ISO currency code of every price in the book.
    pub currency: String,
    /// Where the prices come from.
    pub source: PriceSource,
    /// Prices by ARM region name (`westeurope`).
    pub regions: BTreeMap<String, RegionPrices>,
    /// Why a fallback was taken (the live endpoint could not be reached…), if one was.
    pub note: Option<String>,
}

/// ARM's region name for a location written either way (`West US 2` → `westus2`).
pub fn region_key(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn meter_of(item: &RetailPrice) -> Meter {
    Meter {
        per_gib_month: item.retail_price,
        meter_id: item.meter_id.clone(),
        meter_name: item.meter_name.clone(),
        sku_name: item.sku_name.clone(),
        effective_start: item.effective_start_date.clone(),
    }
}

/// Whether a row is a per-GB-month consumption price at its first tier.
fn is_storage_row(item: &RetailPrice) -> bool {
    let unit = item.unit_of_measure.to_ascii_lowercase();
    (item.kind.is_empty() || item.kind == "Consumption")
        && item.tier_minimum_units <= 0.0
        && unit.contains("gb/month")
        && item.retail_price.is_finite()
        && item.retail_price >= 0.0
}

impl PriceBook {
    /// A book from Retail Prices rows: per region the `Standard HDD Managed Disks`
    /// `Snapshots LRS`/`Snapshots ZRS` rows (any other row is ignored, whatever its meter
    /// name), and an instant access storage row if the list has one.
    pub fn from_items(items: &[RetailPrice], currency: &str, source: PriceSource) -> Self {
        let mut regions: BTreeMap<String, RegionPrices> = BTreeMap::new();
        for item in items.iter().filter(|i| is_storage_row(i)) {
            let region = region_key(&item.arm_region_name);
            if region.is_empty() {
                continue;
            }
            let entry = regions.entry(region).or_default();
            if item.product_name == SNAPSHOT_PRODUCT && item.sku_name == SNAPSHOT_SKU_LRS {
                entry.lrs = Some(meter_of(item));
            } else if item.product_name == SNAPSHOT_PRODUCT && item.sku_name == SNAPSHOT_SKU_ZRS {
                entry.zrs = Some(meter_of(item));
            } else if item.sku_name.contains(INSTANT_ACCESS_SKU_PART)
                && !item.meter_name.to_ascii_lowercase().contains("restore")
            {
                entry.instant_access = Some(meter_of(item));
            }
        }
        regions.retain(|_, r| r.lrs.is_some() || r.zrs.is_some() || r.instant_access.is_some());
        Self {
            currency: currency.to_ascii_uppercase(),
            source,
            regions,
            note: None,
        }
    }

    /// The embedded table (in USD: it has no other currency).
    pub fn embedded() -> Self {
        let mut regions: BTreeMap<String, RegionPrices> = BTreeMap::new();
        for (region, sku, price) in EMBEDDED {
            let entry = regions.entry((*region).to_owned()).or_default();
            let meter = Some(Meter {
                per_gib_month: *price,
                meter_id: String::new(),
                meter_name: String::new(),
                sku_name: (*sku).to_owned(),
                effective_start: EMBEDDED_AS_OF.to_owned(),
            });
            if *sku == SNAPSHOT_SKU_ZRS {
                entry.zrs = meter;
            } else {
                entry.lrs = meter;
            }
        }
        Self {
            currency: "USD".into(),
            source: PriceSource::Embedded,
            regions,
            note: None,
        }
    }

    /// The same book with a note on why it was chosen.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Whether the book has a snapshot row for each of `regions`.
    pub fn covers(&self, regions: &[String]) -> bool {
        regions.iter().all(|r| {
            self.regions
                .get(&region_key(r))
                .is_some_and(|p| p.lrs.is_some() || p.zrs.is_some())
        })
    }

    /// The snapshot storage price for a region: its own row when listed, else a stand-in
    /// (the embedded default region when the book is embedded, else the book's cheapest
    /// listed region, so a missing row never inflates an estimate).
    pub fn snapshot_price(&self, region: &str) -> PriceUsed {
        let key = region_key(region);
        let zonal = has_availability_zones(&key);
        let sku = if zonal {
            SNAPSHOT_SKU_ZRS
        } else {
            SNAPSHOT_SKU_LRS
        };
        let pick = |r: &RegionPrices| -> Option<(f64, bool)> {
            let (own, other) = if zonal {
                (&r.zrs, &r.lrs)
            } else {
                (&r.lrs, &r.zrs)
            };
            own.as_ref()
                .map(|m| (m.per_gib_month, true))
                .or_else(|| other.as_ref().map(|m| (m.per_gib_month, false)))
        };
        if let Some((price, own)) = self.regions.get(&key).and_then(pick) {
            return PriceUsed {
                per_gib_month: price,
                sku,
                basis: if own {
                    PriceBasis::Listed
                } else {
                    PriceBasis::OtherRedundancy
                },
            };
        }
        let stand_in = match self.source {
            PriceSource::Embedded => self
                .regions
                .get(EMBEDDED_DEFAULT_REGION)
                .and_then(pick)
                .map(|(p, _)| (EMBEDDED_DEFAULT_REGION.to_owned(), p)),
            _ => self
                .regions
                .iter()
                .filter_map(|(name, r)| pick(r).map(|(p, _)| (name.clone(), p)))
                .min_by(|a, b| a.1.total_cmp(&b.1)),
        };
        match stand_in {
            Some((name, price)) => PriceUsed {
                per_gib_month: price,
                sku,
                basis: PriceBasis::StandIn(name),
            },
            None => PriceUsed {
                per_gib_month: 0.0,
                sku,
                basis: PriceBasis::StandIn(String::new()),
            },
        }
    }

    /// The instant access storage price per GB-month for a region, if listed.
    pub fn instant_access_price(&self, region: &str) -> Option<f64> {
        self.regions
            .get(&region_key(region))?
            .instant_access
            .as_ref()
            .map(|m| m.per_gib_month)
    }

    /// When the prices were taken: the fetch time, or the embedded table's date.
    pub fn as_of(&self) -> String {
        match &self.source {
            PriceSource::Live { fetched_unix, .. } | PriceSource::Cache { fetched_unix, .. } => {
                Timestamp::from_unix_secs(*fetched_unix).local_text()
            }
            PriceSource::Embedded => EMBEDDED_AS_OF.to_owned(),
        }
    }

    /// One sentence for the UI: which prices, from when, in which currency.
    pub fn describe(&self) -> String {
        let what = match &self.source {
            PriceSource::Live { endpoint, .. } => {
                format!("Retail prices from {endpoint}, fetched {}", self.as_of())
            }
            PriceSource::Cache { endpoint, .. } => format!(
                "Retail prices from {endpoint}, cached on this computer on {}",
                self.as_of()
            ),
            PriceSource::Embedded => {
                format!("The embedded price table dated {EMBEDDED_AS_OF}")
            }
        };
        format!("{what} · {}", self.currency)
    }
}
