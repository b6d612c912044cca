//! `assess`: runs every rule of the catalogue over a VM's facts for one mode and turns
//! the results into a verdict, the disks to exclude and the next allowed time.

use serde::Serialize;

use crate::model::{ResourceId, Timestamp};

use super::catalogue::{Effect, RuleId};
use super::facts::VmFacts;
use super::mode::Mode;
use super::slots::{DiskSlot, disk_slots};
use super::{cadence_rules, disk_rules, instant_access_rules, os_rules, vm_rules};

/// Whether a restore point in the assessed mode will be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Azure accepts it with every disk included.
    Supported,
    /// Azure accepts it when created with `Assessment::exclude_disks`.
    SupportedWithExclusions,
    /// Azure refuses it until the configuration changes.
    NotSupported,
    /// Azure refuses it now and will accept it later: at `until` when known, else when
    /// the event it waits for (an in-flight creation, ...) is over.
    NotYet {
        /// Earliest time it may be accepted, when known.
        until: Option<Timestamp>,
    },
}

/// How one rule came out for this VM and mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// Checked and fine.
    Pass,
    /// The point is created, but something is left out, not guaranteed or changed.
    Warn,
    /// Azure refuses the point (now or until the configuration changes).
    Fail,
    /// The rule does not concern this VM or mode.
    NotApplicable,
}

/// One rule's result, with its reason in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    /// The rule.
    pub rule: RuleId,
    /// How it came out.
    pub outcome: Outcome,
    /// Why, naming the VM or disk.
    pub reason: String,
}

/// The assessment of one VM for one mode.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    /// The mode assessed.
    pub mode: Mode,
    /// The overall answer.
    pub verdict: Verdict,
    /// One result per rule, sorted by rule.
    pub results: Vec<RuleResult>,
    /// Disk ids to send as `excludeDisks`, sorted.
    pub exclude_disks: Vec<ResourceId>,
    /// The mode rpdesk suggests for this VM.
    pub recommended_mode: Mode,
    /// When the next point may be created, and why, if not now.
    pub next_allowed: Option<(Timestamp, String)>,
    /// Instant access could be enabled for a point in this mode.
    pub instant_access_eligible: bool,
}

impl Assessment {
    /// The result of one rule.
    pub fn result(&self, rule: RuleId) -> Option<&RuleResult> {
        self.results
            .binary_search_by_key(&rule, |r| r.rule)
            .ok()
            .and_then(|i| self.results.get(i))
    }
}

/// What a rule check found.
#[derive(Clone, Debug)]
pub(super) struct Finding {
    pub outcome: Outcome,
    pub reason: String,
    /// For a failing wait rule: when it lifts, if known.
    pub until: Option<Timestamp>,
}

impl Finding {
    /// A passing check.
    pub fn pass(reason: impl Into<String>) -> Self {
        Self::new(Outcome::Pass, reason)
    }
    /// A warning.
    pub fn warn(reason: impl Into<String>) -> Self {
        Self::new(Outcome::Warn, reason)
    }
    /// A refusal.
    pub fn fail(reason: impl Into<String>) -> Self {
        Self::new(Outcome::Fail, reason)
    }
    /// Not applicable.
    pub fn na(reason: impl Into<String>) -> Self {
        Self::new(Outcome::NotApplicable, reason)
    }
    /// A refusal that lifts at `until`.
    pub fn wait(reason: impl Into<String>, until: Option<Timestamp>) -> Self {
        Self {
            until,
            ..Self::fail(reason)
        }
    }
    fn new(outcome: Outcome, reason: impl Into<String>) -> Self {
        Self {
            outcome,
            reason: reason.into(),
            until: None,
        }
    }
}

/// The state the checks share while assessing one VM in one mode.
pub(super) struct Ctx<'f, 'a> {
    pub facts: &'f VmFacts<'a>,
    pub mode: Mode,
    pub now: Timestamp,
    pub slots: Vec<DiskSlot<'a>>,
    /// Set by the instant access eligibility check.
    pub instant_access_eligible: bool,
}

impl<'a> Ctx<'_, 'a> {
    /// The VM's name for sentences.
    pub fn vm_name(&self) -> &'a str {
        let vm = self.facts.vm;
        if vm.name.is_empty() {
            vm.id.name()
        } else {
            &vm.name
        }
    }

    /// Disks that will be in the point.
    pub fn included(&self) -> impl Iterator<Item = &DiskSlot<'a>> {
        self.slots.iter().filter(|s| !s.excluded)
    }
}

/// A rule check.
type Check = fn(&mut Ctx<'_, '_>) -> Finding;

/// Checks in evaluation order: exclusions first, so later checks see only included disks.
const CHECKS: &[(RuleId, Check)] = &[
    (
        RuleId::UnmanagedDisksNotSupported,
        disk_rules::unmanaged_disks_not_supported,
    ),
    (
        RuleId::EphemeralOsDiskAlwaysExcluded,
        disk_rules::ephemeral_os_disk_always_excluded,
    ),
    (
        RuleId::SharedDiskAlwaysExcluded,
        disk_rules::shared_disk_always_excluded,
    ),
    (
        RuleId::UltraDiskExcludedForCrashConsistent,
        disk_rules::ultra_disk_excluded_for_crash_consistent,
    ),
    (
        RuleId::PremiumV2DiskExcludedForCrashConsistent,
        disk_rules::premium_v2_disk_excluded_for_crash_consistent,
    ),
    (
        RuleId::WriteAcceleratedDiskExcludedForCrashConsistent,
        disk_rules::write_accelerated_disk_excluded_for_crash_consistent,
    ),
    (
        RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent,
        disk_rules::read_write_host_caching_not_guaranteed_crash_consistent,
    ),
    (
        RuleId::EncryptionNotCarriedToRestorePoint,
        disk_rules::encryption_not_carried_to_restore_point,
    ),
    (
        RuleId::CmkBecomesPmkOnCrossRegionCopy,
        disk_rules::cmk_becomes_pmk_on_cross_region_copy,
    ),
    (
        RuleId::ConfidentialVmNotSupported,
        vm_rules::confidential_vm_not_supported,
    ),
    (
        RuleId::VmssUniformInstanceNotSupported,
        vm_rules::vmss_uniform_instance_not_supported,
    ),
    (
        RuleId::VmssFlexMemberSupported,
        vm_rules::vmss_flex_member_supported,
    ),
    (
        RuleId::AvailabilitySetMemberSupported,
        vm_rules::availability_set_member_supported,
    ),
    (
        RuleId::TrustedLaunchSupported,
        vm_rules::trusted_launch_supported,
    ),
    (
        RuleId::ApiVersionSupportsMode,
        vm_rules::api_version_supports_mode,
    ),
    (
        RuleId::AppConsistentNeedsRunningVm,
        vm_rules::app_consistent_needs_running_vm,
    ),
    (
        RuleId::MovedVmStaleSourceId,
        vm_rules::moved_vm_stale_source_id,
    ),
    (
        RuleId::AzureBoostV6SizeWithSeveralDataDisksNotGuaranteedCrashConsistent,
        vm_rules::azure_boost_v6_size_with_several_data_disks_not_guaranteed_crash_consistent,
    ),
    (
        RuleId::TemporaryDiskNeverCaptured,
        vm_rules::temporary_disk_never_captured,
    ),
    (
        RuleId::NfsMountsNotCaptured,
        os_rules::nfs_mounts_not_captured,
    ),
    (
        RuleId::AppConsistent32BitAndCoreOsNotSupported,
        os_rules::app_consistent_32bit_and_coreos_not_supported,
    ),
    (
        RuleId::WindowsVersionsForAppConsistency,
        os_rules::windows_versions_for_app_consistency,
    ),
    (
        RuleId::InstantAccessEligibility,
        instant_access_rules::instant_access_eligibility,
    ),
    (
        RuleId::InstantAccessDuration60To300,
        instant_access_rules::instant_access_duration_60_to_300,
    ),
    (
        RuleId::InstantAccessAtMost50ConcurrentPerSubscriptionRegion,
        instant_access_rules::instant_access_at_most_50_concurrent_per_subscription_region,
    ),
    (
        RuleId::AtMost500PointsPerVm,
        cadence_rules::at_most_500_points_per_vm,
    ),
    (
        RuleId::AtMost10000CollectionsPerSubscriptionRegion,
        cadence_rules::at_most_10000_collections_per_subscription_region,
    ),
    (
        RuleId::NoConcurrentCreation,
        cadence_rules::no_concurrent_creation,
    ),
    (
        RuleId::MinimumFrequency3hApplication1hCrash,
        cadence_rules::minimum_frequency_3h_application_1h_crash,
    ),
    (
        RuleId::AtMost3PutsPerHour,
        cadence_rules::at_most_3_puts_per_hour,
    ),
];

/// Assesses a restore point in `mode` for the VM described by `facts`, at time `now`.
pub fn assess(facts: &VmFacts, mode: Mode, now: Timestamp) -> Assessment {
    let this = evaluate(facts, mode, now);
    let other = evaluate(facts, mode.other(), now);
    let recommended_mode = recommend(&this, &other);
    Assessment {
        recommended_mode,
        ..this
    }
}

/// Assesses both modes: application-consistent first.
pub fn assess_both(facts: &VmFacts, now: Timestamp) -> [Assessment; 2] {
    let app = evaluate(facts, Mode::ApplicationConsistent, now);
    let crash = evaluate(facts, Mode::CrashConsistent, now);
    let recommended_mode = recommend(&app, &crash);
    [
        Assessment {
            recommended_mode,
            ..app
        },
        Assessment {
            recommended_mode,
            ..crash
        },
    ]
}

fn evaluate(facts: &VmFacts, mode: Mode, now: Timestamp) -> Assessment {
    let mut cx = Ctx {
        facts,
        mode,
        now,
        slots: disk_slots(facts.vm, &facts.disks),
        instant_access_eligible: false,
    };
    let mut results = Vec::with_capacity(CHECKS.len());
    let mut blocked = false;
    let mut waiting = false;
    let mut wait: Option<(Timestamp, RuleId, String)> = None;
    for &(rule, check) in CHECKS {
        let finding = if rule.rule().modes.contains(&mode) {
            check(&mut cx)
        } else {
            Finding::na(format!("applies to {} points only", mode.other()))
        };
        if finding.outcome == Outcome::Fail {
            if rule.rule().effect == Effect::WaitUntil {
                waiting = true;
                if let Some(until) = finding.until
                    && wait.as_ref().is_none_or(|(t, _, _)| until > *t)
                {
                    wait = Some((until, rule, finding.reason.clone()));
                }
            } else {
                blocked = true;
            }
        }
        results.push(RuleResult {
            rule,
            outcome: finding.outcome,
            reason: finding.reason,
        });
    }
    results.sort_by_key(|r| r.rule);

    let mut exclude_disks: Vec<ResourceId> = cx
        .slots
        .iter()
        .filter(|s| s.excluded)
        .filter_map(|s| {
            s.disk
                .map(|d| d.id.clone())
                .or_else(|| ResourceId::parse(s.id?).ok())
        })
        .collect();
    exclude_disks.sort();
    exclude_disks.dedup();
    let any_excluded = cx.slots.iter().any(|s| s.excluded);

    let verdict = if blocked {
        Verdict::NotSupported
    } else if waiting {
        Verdict::NotYet {
            until: wait.as_ref().map(|(t, _, _)| *t),
        }
    } else if any_excluded {
        Verdict::SupportedWithExclusions
    } else {
        Verdict::Supported
    };
    let next_allowed = match (&verdict, wait) {
        (Verdict::NotYet { .. }, Some((t, rule, reason))) => Some((t, format!("{rule}: {reason}"))),
        _ => None,
    };
    Assessment {
        mode,
        verdict,
        results,
        exclude_disks,
        recommended_mode: mode,
        next_allowed,
        instant_access_eligible: cx.instant_access_eligible,
    }
}

/// Prefers the mode with the better verdict, then the one with fewer consistency
/// warnings and exclusions, then application-consistent (Azure's default).
fn recommend(a: &Assessment, b: &Assessment) -> Mode {
    let key = |x: &Assessment| {
        let rank = match x.verdict {
            Verdict::Supported => 0,
            Verdict::SupportedWithExclusions => 1,
            Verdict::NotYet { .. } => 2,
            Verdict::NotSupported => 3,
        };
        let warns = x
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Warn && r.rule.rule().effect != Effect::Note)
            .count();
        let default_last = usize::from(x.mode != Mode::ApplicationConsistent);
        (rank, warns, default_last)
    };
    if key(b) < key(a) { b.mode } else { a.mode }
}
