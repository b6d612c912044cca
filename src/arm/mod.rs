//! The ARM client: the only module that speaks HTTP. One [`ArmClient`] over reqwest, with
//! retries (429 honouring Retry-After, 5xx backoff with jitter), paging, long-running
//! operations, a client-side token bucket per subscription, and typed errors; and a
//! [`PricesClient`] for the Azure Retail Prices API (no token) over the same transport.

// Errors carry ARM's tracing ids for the activity log; they are rare and off the hot
// path, so their size is not worth boxing.
#![allow(clippy::result_large_err)]

pub mod api_versions;
mod body;
mod call;
mod client;
mod endpoint;
mod error;
mod limiter;
mod lro;
mod ops;
mod prices;
mod proxy;
mod retry;
mod transport;

pub use crate::model::DiskRestoreRequest;
pub use call::CallResult;
pub use client::{ArmClient, ClientOptions, ClientStats};
pub use endpoint::validate_endpoint;
pub use error::{ArmError, RequestContext};
pub use limiter::{BucketConfig, HEADROOM};
pub use lro::{Cancel, LroProgress};
pub use ops::RestorePointRequest;
pub(crate) use ops::no_progress;
pub use prices::{
    DEFAULT_PAGE_SIZE, PricesClient, RETAIL_PRICES_API_VERSION, RETAIL_PRICES_ENDPOINT,
    RETAIL_PRICES_PATH,
};
pub use proxy::ProxyConfig;
