//! The plumbing every rule check shares: what a check finds, the context it reads, and
//! the table of checks in evaluation order.

use crate::model::Timestamp;

use super::assessment::Outcome;
use super::catalogue::RuleId;
use super::facts::VmFacts;
use super::mode::Mode;
use super::slots::DiskSlot;
use super::{
    cadence_rules, copy_rules, disk_rules, guest_rules, instant_access_rules, os_rules, vm_rules,
};

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
    /// Set by the instant access eligibility check: the point could use instant access.
    pub instant_access_eligible: bool,
    /// Set by the instant access eligibility check: the point will have it.
    pub instant_access: bool,
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
pub(super) type Check = fn(&mut Ctx<'_, '_>) -> Finding;

/// Checks in evaluation order: exclusions first, so later checks see only included disks.
pub(super) const CHECKS: &[(RuleId, Check)] = &[
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
        RuleId::PrivateLinksNotSupportedAcrossRegions,
        copy_rules::private_links_not_supported_across_regions,
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
        RuleId::WindowsPastExtendedSupport,
        guest_rules::windows_past_extended_support,
    ),
    (
        RuleId::LinuxDistributionEndorsedByAzure,
        guest_rules::linux_distribution_endorsed_by_azure,
    ),
    (
        RuleId::GuestAgentAvailableAndRecent,
        guest_rules::guest_agent_available_and_recent,
    ),
    (
        RuleId::LinuxPython27WithAProxy,
        guest_rules::linux_python_2_7_with_a_proxy,
    ),
    (
        RuleId::FileSystemConsistentCountsAsApplicationConsistent,
        os_rules::file_system_consistent_counts_as_application_consistent,
    ),
    (
        RuleId::InstantAccessEligibility,
        instant_access_rules::instant_access_eligibility,
    ),
    (
        RuleId::InstantAccessNeedsFeatureRegistration,
        instant_access_rules::instant_access_needs_feature_registration,
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
    (
        RuleId::AtMost3CopiesPerTargetCollectionPerHour,
        copy_rules::at_most_3_copies_per_target_collection_per_hour_for_vm,
    ),
    (
        RuleId::CopyNeedsCopyableSnapshots,
        copy_rules::copy_needs_copyable_snapshots_for_vm,
    ),
];
