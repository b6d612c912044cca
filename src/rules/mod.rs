//! Supportability: every rule of the restore point support matrix as data, each with its
//! source (the Microsoft document and the words of it the rule implements), and a pure
//! `assess` that says, for one VM and one consistency mode, whether Azure will accept a
//! restore point, which disks it captures and excludes, how they are encrypted, whether it
//! gets instant access, and when the next one is allowed; `assess_copy` does the same for
//! a cross-region copy of one point.
//!
//! Pure: no I/O, no clock (`now` is a parameter), no egui, no tokio.
//!
//! The app builds [`VmFacts`] from the inventory with `Inventory::facts_source` (disks
//! resolved, collections with their points, collections per region, scale set
//! orchestration, rpdesk's own PUTs and creations in flight); by hand it looks like:
//!
//! ```
//! # use rpdesk::model::{Disk, RestorePointCollection, Timestamp, VirtualMachine};
//! # use rpdesk::rules::{assess_both, same_id, VmFacts};
//! # fn demo(vm: &VirtualMachine, disks: &[Disk], collections: &[RestorePointCollection], now: Timestamp) {
//! let mut facts = VmFacts::new(vm) // with `instanceView` for power state and osName
//!     .with_disks(|id| disks.iter().find(|d| same_id(d.id.as_str(), id)))
//!     .with_collections(collections); // `$expand=restorePoints`; picks the target
//! facts.collections_in_subscription_region = 42; // from the collection list
//! facts.creation_in_flight = false; // from the backend's job list
//! let [app, crash] = assess_both(&facts, now);
//! # let _ = (app, crash);
//! # }
//! ```

#![warn(missing_docs)]

mod assess;
mod assessment;
mod cadence_rules;
mod catalogue;
mod check;
mod copy_rules;
mod disk_rules;
mod facts;
mod guest_rules;
mod instant_access_rules;
mod mode;
mod os_rules;
mod slots;
mod vm_rules;
mod vm_size;

#[cfg(test)]
mod tests;

pub use assess::{assess, assess_both, assess_copy};
pub use assessment::{Assessment, CapturedDisk, Outcome, PLATFORM_KEY, RuleResult, Verdict};
pub use cadence_rules::{
    MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION, MAX_POINTS_PER_VM, MAX_PUTS_PER_HOUR, minimum_interval,
};
pub use catalogue::{Citation, Document, Effect, Rule, RuleId, Scope, Source, catalogue};
pub use copy_rules::{CopyAssessment, CopyFacts, MAX_COPIES_PER_HOUR};
pub use facts::{
    DEFAULT_API_VERSION, GuestFacts, Orchestration, PointPut, VmFacts, collection_belongs_to_vm,
    managed_disk_ids, normalize_region, same_id,
};
pub use instant_access_rules::{
    INSTANT_ACCESS_API_VERSION, INSTANT_ACCESS_DEFAULT_MINUTES, INSTANT_ACCESS_FEATURE,
    INSTANT_ACCESS_FEATURE_REGISTER_COMMAND, INSTANT_ACCESS_MAX_CONCURRENT, INSTANT_ACCESS_MINUTES,
    INSTANT_ACCESS_REGIONS,
};
pub use mode::{APP_ONLY, BOTH_MODES, CRASH_ONLY, Mode};
