//! Keeping restore points tidy and documented: deleting a point or a collection (and
//! revoking access first when Azure refuses), a retention rule and the clean-up it
//! selects, the clean-up's report, and local labels for points (Azure's restore points
//! cannot carry tags).
//!
//! Pure: no I/O, no clock (`now` is a parameter), no egui, no tokio. The inventory reads
//! candidates and the leak finder's findings out of what it holds
//! (`inventory/cleanup.rs`, `inventory/leaks.rs`), the backend runs the calls
//! (`backend/lifecycle.rs`), the app keeps the labels file.

pub mod az;
mod delete;
mod labels;
mod report;
mod retention;

pub use delete::{DeletePlan, DeleteTarget, SAS_REFUSAL_CODE, revoke_call};
pub use labels::{
    LABEL_TAG_PREFIX, Labels, LabelsFileError, MAX_TAGS_PER_RESOURCE, PointLabel, TagLimit,
    mirrored_tags,
};
pub use report::{CleanupReport, Outcome, ReportRow};
pub use retention::{Candidate, KeepReason, RetentionRule, Selection, select};
