//! The inventory as the UI sees it: every resource loaded so far, each node's loading
//! state, and the navigation structure (subscription → VM → collection → point → disk
//! restore point). Pure data: the backend produces [`InventoryEvent`]s, the app applies
//! them, the UI reads.

mod apply;
mod cleanup;
mod copy;
mod copy_progress;
mod cost;
mod creation;
mod facts;
mod group;
mod leaks;
mod loadable;
mod node;
mod on_demand;
mod restore;
mod store;
mod summary;
#[cfg(test)]
pub(crate) mod test_support;

pub use cleanup::{CandidatesJob, CleanupCandidate};
pub use copy::{CopyPointPlan, CopySource, assess_copy_of, copy_plan, default_copy_collection_id};
pub use copy_progress::{CopyProgress, CopyState, CopyWatch, DiskCopy};
pub use cost::{CostEstateJob, cost_scope};
pub use creation::{CreatePointPlan, CreationLog, default_collection_id, point_in, point_name_at};
pub use facts::{FactsSource, RegionCounts};
pub use group::{
    GroupKind, GroupMember, GroupOutcome, GroupPlan, GroupReport, MemberOutcome, MemberStep,
    PointGroup, plan_group, skew_text,
};
pub use leaks::{Finding, FindingKind, Fix, NEAR_LIMIT_PERCENT, near_limit};
pub use loadable::{ErrorInfo, Loadable};
pub use node::{CollectionLink, NodeId};
pub use on_demand::{ARM_READS_PER_SECOND, on_demand_regions, read_minutes, reads_on_demand};
pub use store::{
    CollectionEntry, Inventory, InventoryEvent, PointEntry, SasRefusal, SubscriptionEntry,
};
pub use summary::LoadProgress;
