//! Cross-region copies of a restore point: what a copy into a collection in another
//! region meets (seed 000's preview limitations and throttling table), and what of it
//! also concerns a point created directly in another region than its VM.

use crate::model::{RestorePoint, RestorePointCollection, SnapshotAccessState, Timestamp};

use super::assessment::{Outcome, RuleResult, Verdict};
use super::cadence_rules::throttle;
use super::catalogue::RuleId;
use super::check::{Ctx, Finding};
use super::facts::normalize_region;

/// Copies into one target collection per hour.
pub const MAX_COPIES_PER_HOUR: usize = 3;

/// Everything `assess_copy` needs about one copy, borrowed from the inventory.
#[derive(Clone, Debug)]
pub struct CopyFacts<'a> {
    /// The restore point to copy, with its `sourceMetadata`.
    pub point: &'a RestorePoint,
    /// The collection it is in.
    pub source_collection: &'a RestorePointCollection,
    /// The region to copy to.
    pub target_region: String,
    /// The collection in that region that copies `source_collection`, with its points
    /// (`$expand=restorePoints`); `None` when one will be created.
    pub target: Option<&'a RestorePointCollection>,
    /// Copy PUTs rpdesk sent to the target collection, refused ones included.
    pub recent_copies: Vec<Timestamp>,
    /// Each disk restore point's `snapshotAccessState` (its name, the state), when its
    /// disk restore points or the point's instance view are loaded; `None` when not.
    pub disk_access: Option<Vec<(String, SnapshotAccessState)>>,
}

impl<'a> CopyFacts<'a> {
    /// A copy of `point` to `target_region`, into a new collection, nothing sent yet.
    pub fn new(
        point: &'a RestorePoint,
        source_collection: &'a RestorePointCollection,
        target_region: &str,
    ) -> Self {
        Self {
            point,
            source_collection,
            target_region: normalize_region(target_region),
            target: None,
            recent_copies: Vec::new(),
            disk_access: None,
        }
    }
}

/// What `assess_copy` says about one copy.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyAssessment {
    /// Whether Azure accepts the copy now.
    pub verdict: Verdict,
    /// One result per copy rule, sorted by rule.
    pub results: Vec<RuleResult>,
    /// When the copy may be sent, and why, if not now.
    pub next_allowed: Option<(Timestamp, String)>,
}

impl CopyAssessment {
    /// The results that are not a plain pass: what the copy flow shows.
    pub fn notices(&self) -> impl Iterator<Item = &RuleResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Warn | Outcome::Fail))
    }
}

/// A copy rule check.
pub(super) type CopyCheck = fn(&CopyFacts<'_>, Timestamp) -> Finding;

/// The rules a copy is assessed by.
pub(super) const COPY_CHECKS: &[(RuleId, CopyCheck)] = &[
    (RuleId::CmkBecomesPmkOnCrossRegionCopy, customer_key_copy),
    (
        RuleId::PrivateLinksNotSupportedAcrossRegions,
        private_links_copy,
    ),
    (
        RuleId::AtMost3CopiesPerTargetCollectionPerHour,
        at_most_3_copies_per_target_collection_per_hour,
    ),
    (
        RuleId::CopyNeedsCopyableSnapshots,
        copy_needs_copyable_snapshots,
    ),
];

/// The Compute REST API's `SnapshotAccessState`: a `Pending` snapshot "cannot be used for
/// restore, copy or download", an `InstantAccess` one "cannot be copied": ARM refuses the
/// copy (409 `OperationNotAllowed`) until every disk restore point is available. When it
/// lifts depends on the background copy, so no time is given.
fn copy_needs_copyable_snapshots(facts: &CopyFacts<'_>, _now: Timestamp) -> Finding {
    let Some(disks) = &facts.disk_access else {
        return Finding::warn(format!(
            "the disk restore points of '{}' are not loaded: ARM refuses the copy while one is still Pending or in instant access",
            facts.point.name()
        ));
    };
    let blocked: Vec<String> = disks
        .iter()
        .filter(|(_, state)| !state.is_copyable())
        .map(|(name, state)| format!("{name} ({state})"))
        .collect();
    if blocked.is_empty() {
        Finding::pass(format!(
            "no disk restore point of '{}' is Pending or in instant access",
            facts.point.name()
        ))
    } else {
        Finding::wait(
            format!(
                "{}: not copyable yet (a Pending snapshot is still being copied from its disk; an instant access one is copyable once instant access ends)",
                blocked.join(", ")
            ),
            None,
        )
    }
}

/// Seed 000: "CMK-encrypted restore points are copied as PMK-encrypted in the target
/// region": the point's own encryption, per disk restore point, decides.
fn customer_key_copy(facts: &CopyFacts<'_>, _now: Timestamp) -> Finding {
    let cmk: Vec<&str> = facts
        .point
        .captured_disks()
        .into_iter()
        .filter(|d| {
            d.disk_restore_point
                .as_ref()
                .and_then(|r| r.encryption.as_ref())
                .and_then(|e| e.kind.as_deref())
                .is_some_and(|t| t.contains("CustomerKey"))
        })
        .map(|d| d.name.as_deref().unwrap_or("a disk"))
        .collect();
    if cmk.is_empty() {
        Finding::pass(format!(
            "the disk restore points of '{}' use platform-managed keys, as the copy will",
            facts.point.name()
        ))
    } else {
        Finding::warn(format!(
            "{}: encrypted with a customer-managed key in '{}'; the copy in region '{}' is encrypted with platform-managed keys",
            cmk.join(", "),
            facts.point.name(),
            facts.target_region
        ))
    }
}

fn private_links_copy(facts: &CopyFacts<'_>, _now: Timestamp) -> Finding {
    Finding::warn(format!(
        "private links aren't supported when copying restore points across regions: the copy of '{}' to region '{}' does not go through a private endpoint",
        facts.point.name(),
        facts.target_region
    ))
}

fn at_most_3_copies_per_target_collection_per_hour(
    facts: &CopyFacts<'_>,
    now: Timestamp,
) -> Finding {
    let Some(target) = facts.target else {
        return Finding::pass(format!(
            "the copy goes into a new collection in region '{}'",
            facts.target_region
        ));
    };
    let created = target
        .restore_points()
        .iter()
        .filter_map(|p| p.properties.time_created)
        .collect();
    let what = format!("copies into collection '{}'", target.name);
    throttle(
        facts.recent_copies.clone(),
        created,
        now,
        MAX_COPIES_PER_HOUR,
        &what,
    )
}

/// In a VM's assessment: a point created in another region than the VM's cannot use
/// private links either (seed 001).
pub(super) fn private_links_not_supported_across_regions(cx: &mut Ctx<'_, '_>) -> Finding {
    match cx.facts.target() {
        Some(target) if normalize_region(&target.location) != cx.facts.region() => {
            Finding::warn(format!(
                "this point is created in region '{}' of collection '{}', not the VM's region '{}': private links aren't supported there",
                target.location, target.name, cx.facts.vm.location
            ))
        }
        _ => Finding::na(
            "the point is created in the VM's region; copies to another region are assessed when copying (private links aren't supported for them)",
        ),
    }
}

/// In a VM's assessment: a copy's source snapshots are checked when a point is copied.
pub(super) fn copy_needs_copyable_snapshots_for_vm(cx: &mut Ctx<'_, '_>) -> Finding {
    Finding::na(format!(
        "checked when a point of VM '{}' is copied to another region",
        cx.vm_name()
    ))
}

/// In a VM's assessment: copies are assessed when a point is copied.
pub(super) fn at_most_3_copies_per_target_collection_per_hour_for_vm(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    Finding::na(format!(
        "counted when a point of VM '{}' is copied to another region",
        cx.vm_name()
    ))
}
