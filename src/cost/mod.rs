//! Retention cost: what the restore points kept today cost, what a retention policy will
//! cost month by month, and what a clean-up would free.
//!
//! Restore points are billed as incremental snapshots on Standard HDD snapshot storage,
//! per GB-month of data stored. For each disk family (the chain of disk restore points of
//! one source disk in one collection) the first point stores the disk's used data and
//! each later point the data changed since the point before it:
//! `used × (1 − (1 − churn)^days)`. `used` is the provisioned size from ARM times a used
//! fraction; churn is a daily rate. Both are stated assumptions (defaults 60 % and
//! 3 %/day; Azure Backup documents 2–7 %/day as typical), overridable per disk, VM or
//! fleet. Deleting a point folds its changes into the next point kept, so it frees less
//! than its own delta (overlapping changes are stored once).
//!
//! Pure: no I/O, no clock (`now` is a parameter), no egui, no tokio. The app builds a
//! [`CostEstate`] from the inventory with `Inventory::cost_estate`, prices with a
//! [`PriceBook`] (fetched by the backend, cached, or the embedded table); by hand:
//!
//! ```
//! # use rpdesk::cost::*;
//! let mut b = CostEstateBuilder::default();
//! let c = b.collection(CollectionInfo { id: "rpc".into(), region: "eastus".into(), ..Default::default() });
//! let disk = CapturedDisk { disk_key: "d", provisioned_gib: 1024.0, ..Default::default() };
//! for day in 0..30 {
//!     b.point(c, &format!("rpc/restorePoints/p{day}"), day * 86_400, [disk.clone()]);
//! }
//! let estate = b.finish();
//! let assumptions = AssumptionSet { fleet: Assumptions { used_fraction: 1.0, daily_churn: 0.03 }, ..Default::default() };
//! let est = estimate(&estate, &assumptions, &PriceBook::embedded());
//! let total = rollup(&estate, &est, &Scope::Fleet).total;
//! assert!((total.gib - 1914.88).abs() < 0.01 && (total.money - 95.744).abs() < 0.001);
//! ```

#![warn(missing_docs)]

mod assumptions;
mod chain;
mod estate;
mod export;
mod model;
mod money;
mod policy;
mod prices;
mod projection;

#[cfg(test)]
mod tests;

pub use assumptions::{
    AssumptionLevel, AssumptionSet, Assumptions, DEFAULT_DAILY_CHURN, DEFAULT_USED_FRACTION,
    TYPICAL_DAILY_CHURN,
};
pub use chain::{
    DAY_SECS, chain_gib, changed_fraction, days_between, freed_by_deleting, point_sizes,
};
pub use estate::{
    CapturedDisk, CollectionInfo, CostEstate, CostEstateBuilder, DiskFamily, Estimate, Named,
    PointInfo, Rollup, Scope, estimate, estimate_in, freed_by_deleting_points, rollup,
};
pub use export::{
    TABLES, cleanup_table, collections_table, comparison_table, disk_points_table, file_part,
    levels_table, points_table, series_table, table,
};
pub use model::{CostInputs, CostModel, MAX_SERIES, model};
pub use money::{Amount, format_gib, format_money};
pub use policy::{Cleanup, Policy, Retention, cleanup, default_policies};
pub use prices::{
    CURRENCIES, EMBEDDED_AS_OF, EMBEDDED_SOURCE, INSTANT_ACCESS_SKU_PART, Meter, PriceBasis,
    PriceBook, PriceSource, PriceUsed, RegionPrices, SNAPSHOT_PRODUCT, SNAPSHOT_SKU_LRS,
    SNAPSHOT_SKU_ZRS, region_key,
};
pub use projection::{
    Comparison, InstantAccessEstimate, MONTH_DAYS, MONTHS, Projection, SAMPLES_PER_MONTH, Series,
    StackBy, compare, project, retained_at,
};
