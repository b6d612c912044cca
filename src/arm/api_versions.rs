//! API versions, per resource provider family (kept in `model` so that pure modules can
//! name the exact calls they plan).

pub use crate::model::api_versions::*;
