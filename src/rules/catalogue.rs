//! The rule catalogue as data: every support-matrix row, limitation and throttle from the
//! seeds that rpdesk checks, with the document each one comes from.

use super::mode::{APP_ONLY, BOTH_MODES, CRASH_ONLY, Mode};

/// Declares `RuleId` with a stable kebab-case id per variant.
macro_rules! rule_ids {
    ($($variant:ident = $text:literal),+ $(,)?) => {
        /// Identifies one rule; the order is the order results are shown in.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )+
        }

        impl RuleId {
            /// Every rule id, in order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];

            /// The stable kebab-case id, e.g. `shared-disk-always-excluded`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $text,)+
                }
            }

            /// Parses a kebab-case id (exact match).
            pub fn parse(text: &str) -> Option<RuleId> {
                match text {
                    $($text => Some(RuleId::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

rule_ids! {
    UnmanagedDisksNotSupported = "unmanaged-disks-not-supported",
    ConfidentialVmNotSupported = "confidential-vm-not-supported",
    VmssUniformInstanceNotSupported = "vmss-uniform-instance-not-supported",
    VmssFlexMemberSupported = "vmss-flex-member-supported",
    AvailabilitySetMemberSupported = "availability-set-member-supported",
    TrustedLaunchSupported = "trusted-launch-supported",
    ApiVersionSupportsMode = "api-version-supports-mode",
    AppConsistentNeedsRunningVm = "app-consistent-needs-running-vm",
    MovedVmStaleSourceId = "moved-vm-stale-source-id",
    EphemeralOsDiskAlwaysExcluded = "ephemeral-os-disk-always-excluded",
    SharedDiskAlwaysExcluded = "shared-disk-always-excluded",
    UltraDiskExcludedForCrashConsistent = "ultra-disk-excluded-for-crash-consistent",
    PremiumV2DiskExcludedForCrashConsistent = "premium-v2-disk-excluded-for-crash-consistent",
    WriteAcceleratedDiskExcludedForCrashConsistent = "write-accelerated-disk-excluded-for-crash-consistent",
    ReadWriteHostCachingNotGuaranteedCrashConsistent = "read-write-host-caching-not-guaranteed-crash-consistent",
    AzureBoostV6SizeWithSeveralDataDisksNotGuaranteedCrashConsistent = "azure-boost-v6-size-with-several-data-disks-not-guaranteed-crash-consistent",
    TemporaryDiskNeverCaptured = "temporary-disk-never-captured",
    NfsMountsNotCaptured = "nfs-mounts-not-captured",
    EncryptionNotCarriedToRestorePoint = "encryption-not-carried-to-restore-point",
    CmkBecomesPmkOnCrossRegionCopy = "cmk-becomes-pmk-on-cross-region-copy",
    AppConsistent32BitAndCoreOsNotSupported = "app-consistent-32bit-and-coreos-not-supported",
    WindowsVersionsForAppConsistency = "windows-versions-for-app-consistency",
    InstantAccessEligibility = "instant-access-eligibility",
    InstantAccessDuration60To300 = "instant-access-duration-60-to-300",
    InstantAccessAtMost50ConcurrentPerSubscriptionRegion = "instant-access-at-most-50-concurrent-per-subscription-region",
    AtMost500PointsPerVm = "at-most-500-points-per-vm",
    AtMost10000CollectionsPerSubscriptionRegion = "at-most-10000-collections-per-subscription-region",
    NoConcurrentCreation = "no-concurrent-creation",
    MinimumFrequency3hApplication1hCrash = "minimum-frequency-3h-application-1h-crash",
    AtMost3PutsPerHour = "at-most-3-puts-per-hour",
}

impl RuleId {
    /// This rule's catalogue entry.
    pub fn rule(self) -> &'static Rule {
        // CATALOGUE is declared in RuleId order; a test checks it.
        &CATALOGUE[self as usize]
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RuleId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule {text:?}")))
    }
}

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Scope {
    /// The VM as a whole (kind, size, power state, history).
    Vm,
    /// Each disk of the VM.
    Disk,
}

/// What happens when a rule fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// Azure refuses the restore point: verdict `NotSupported`.
    Block,
    /// The disk must be left out (`excludeDisks`): verdict `SupportedWithExclusions`.
    ExcludeDisk,
    /// The point is created but its consistency is not guaranteed.
    Warn,
    /// Azure refuses for now; it will accept later: verdict `NotYet`.
    WaitUntil,
    /// Never refuses: a documented caveat (data not captured, encryption changes) or a
    /// confirmation that a configuration is supported.
    Note,
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// The rule in one line.
    pub statement: &'static str,
    /// VM-wide or per disk.
    pub scope: Scope,
    /// The modes it affects.
    pub modes: &'static [Mode],
    /// What it does when it fires.
    pub effect: Effect,
    /// Seed document and section it comes from.
    pub source: &'static str,
}

/// The whole catalogue, in `RuleId` order.
pub fn catalogue() -> &'static [Rule] {
    CATALOGUE
}

const S000_LIMITS: &str = "seed 000 (restore points overview), Limitations › General";
const S002_OTHER: &str = "seed 002 (support matrix), Other limitations";

static CATALOGUE: &[Rule] = &[
    Rule {
        id: RuleId::UnmanagedDisksNotSupported,
        statement: "Restore points are supported only for managed disks; a VM with unmanaged (VHD) disks is refused.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 002 matrix row \"VMs using unmanaged disks | No\"; seed 000 Limitations › General \"supported only for managed disks\"",
    },
    Rule {
        id: RuleId::ConfidentialVmNotSupported,
        statement: "Confidential VMs are not supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 002 matrix row \"Confidential VMs | No\"",
    },
    Rule {
        id: RuleId::VmssUniformInstanceNotSupported,
        statement: "VMs inside a scale set with Uniform orchestration are not supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 002 matrix row \"VMs inside VMSS with uniform orchestration | No\"; seed 000 Limitations › General",
    },
    Rule {
        id: RuleId::VmssFlexMemberSupported,
        statement: "VMs in a Flexible scale set are supported one VM at a time; protect every member to protect the set.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 002 matrix row \"VMs inside VMSS with flexible orchestration | Yes\"; seed 000 \"Restore points for Virtual Machine in scale sets and availability sets\"",
    },
    Rule {
        id: RuleId::AvailabilitySetMemberSupported,
        statement: "VMs in an availability set are supported one VM at a time; protect every member to protect the set.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 002 matrix row \"VMs in an availability set | Yes\"",
    },
    Rule {
        id: RuleId::TrustedLaunchSupported,
        statement: "Trusted launch VMs are supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 002 matrix row \"VMs with trusted launch | Yes\"",
    },
    Rule {
        id: RuleId::ApiVersionSupportsMode,
        statement: "Application-consistent points need api-version 2021-03-01 or later, crash-consistent 2021-07-01 or later.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 002 matrix rows \"API version for Application/Crash consistent restore point\" (Other limitations says 2021-03-01 for crash; the stricter row wins)",
    },
    Rule {
        id: RuleId::AppConsistentNeedsRunningVm,
        statement: "An application-consistent point needs the VM running (guest agent and VSS/scripts); a stopped or deallocated VM is refused.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Block,
        source: "ARM-WIRE.md §11 (restore-point-troubleshooting: Stopped/Deallocated/Updating interferes); seed 000 Consistency modes (VSS writers / scripts run in the guest)",
    },
    Rule {
        id: RuleId::MovedVmStaleSourceId,
        statement: "After a VM moves between resource groups or subscriptions its collections keep the old source id; new points must go to a new collection.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 000 Limitations › General \"Movement of Virtual Machines between resource groups or subscriptions isn't supported\"; seed 002 Other limitations",
    },
    Rule {
        id: RuleId::EphemeralOsDiskAlwaysExcluded,
        statement: "Ephemeral OS disks are never captured, in either mode; the point holds the other disks.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::ExcludeDisk,
        source: "seed 002 matrix row \"VMs using Ephemeral OS Disks | No. Exclude these disks and create a VM restore point.\"",
    },
    Rule {
        id: RuleId::SharedDiskAlwaysExcluded,
        statement: "Shared disks (maxShares > 1) are never captured, in either mode; exclude them.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::ExcludeDisk,
        source: "seed 002 matrix row \"VMs using shared disks | No. Exclude these disks and create a VM restore point.\"",
    },
    Rule {
        id: RuleId::UltraDiskExcludedForCrashConsistent,
        statement: "Ultra Disks are captured only in application-consistent points; exclude them for crash-consistent.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: "seed 002 matrix row \"VMs using Ultra Disks | ... Exclude these disks and create a VM restore point when using crash consistency.\"",
    },
    Rule {
        id: RuleId::PremiumV2DiskExcludedForCrashConsistent,
        statement: "Premium SSD v2 disks are captured only in application-consistent points; exclude them for crash-consistent.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: "seed 002 matrix row \"VMs using Premium SSD v2 Disks | ... Exclude these disks ... when using crash consistency.\"",
    },
    Rule {
        id: RuleId::WriteAcceleratedDiskExcludedForCrashConsistent,
        statement: "Write-accelerated disks are not supported in crash-consistent points; exclude them (a write-accelerated OS disk blocks).",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: "seed 000 Limitations › General \"Ultra Disks, Premium SSD v2 disks, Write-accelerated disks, ... aren't supported for crash consistency mode\"",
    },
    Rule {
        id: RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent,
        statement: "Crash consistency cannot be guaranteed for disks with read/write host caching.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::Warn,
        source: "seed 000 Consistency modes › Note \"Disks with read/write host caching enabled\"",
    },
    Rule {
        id: RuleId::AzureBoostV6SizeWithSeveralDataDisksNotGuaranteedCrashConsistent,
        statement: "Crash consistency cannot be guaranteed on Intel v6+ / AMD v7+ (Azure Boost) sizes with more than one data disk.",
        scope: Scope::Vm,
        modes: CRASH_ONLY,
        effect: Effect::Warn,
        source: "seed 000 Consistency modes › Note \"Intel V6+ ... and AMD V7+ ... Virtual Machines with more than one data disk\"",
    },
    Rule {
        id: RuleId::TemporaryDiskNeverCaptured,
        statement: "The temporary (resource) disk is never captured.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 002 matrix row \"Temporary disk in VMs | Yes ... don't contain the data from the temporary disks\"",
    },
    Rule {
        id: RuleId::NfsMountsNotCaptured,
        statement: "NFS shares mounted in the guest are never captured; only locally attached disks are.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 002 Operating system support › Linux \"Restore points don't back up NFS files that are mounted\"",
    },
    Rule {
        id: RuleId::EncryptionNotCarriedToRestorePoint,
        statement: "Source disk encryption (customer-managed key, double, at host) is not carried to the restore point unless set per disk on create.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "ARM-WIRE.md §11 \"Source disk encryption ... is not carried to the restore point\"; §4 per-disk diskRestorePoint.encryption; seed 002 encryption rows (Yes)",
    },
    Rule {
        id: RuleId::CmkBecomesPmkOnCrossRegionCopy,
        statement: "Customer-managed-key points copied or created in another region become platform-managed-key encrypted.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: "seed 000 Limitations › Cross-region copy (Preview) \"CMK-encrypted restore points are copied as PMK-encrypted\"; seed 002 Note",
    },
    Rule {
        id: RuleId::AppConsistent32BitAndCoreOsNotSupported,
        statement: "Application consistency is not supported on 32-bit guests or CoreOS Linux.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Block,
        source: "seed 002 Operating system support for application consistency (Windows and Linux: 32-bit; Linux: Core OS)",
    },
    Rule {
        id: RuleId::WindowsVersionsForAppConsistency,
        statement: "Application consistency on Windows is documented for Windows 10 (64-bit) and Windows Server 2012 to 2022.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: "seed 002 Operating system support for application consistency › Windows",
    },
    Rule {
        id: RuleId::InstantAccessEligibility,
        statement: "Instant access needs an application-consistent point, Premium SSD v2 or Ultra data disks, a listed region and api-version 2025-04-01.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 000 Instant Access (Preview): key concepts (API version, Supported regions) and Limitations",
    },
    Rule {
        id: RuleId::InstantAccessDuration60To300,
        statement: "instantAccessDurationMinutes must be between 60 and 300.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: "seed 000 Instant Access (Preview) › instantAccessDurationMinutes \"Valid range: 60–300 minutes\"",
    },
    Rule {
        id: RuleId::InstantAccessAtMost50ConcurrentPerSubscriptionRegion,
        statement: "At most 50 instant access restore point creations run at once per subscription per region.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: "seed 000 Limitations › Instant Access (Preview) \"Maximum 50 concurrent Instant Access restore point creations\"",
    },
    Rule {
        id: RuleId::AtMost500PointsPerVm,
        statement: "At most 500 restore points are retained per VM, across all its collections and both modes.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: S000_LIMITS,
    },
    Rule {
        id: RuleId::AtMost10000CollectionsPerSubscriptionRegion,
        statement: "At most 10,000 restore point collections per subscription per region.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: S002_OTHER,
    },
    Rule {
        id: RuleId::NoConcurrentCreation,
        statement: "Only one restore point is created at a time for a VM.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: "seed 000 Limitations › General \"Concurrent creation of restore points for the same Virtual Machine isn't supported\"",
    },
    Rule {
        id: RuleId::MinimumFrequency3hApplication1hCrash,
        statement: "Application-consistent points at most every 3 hours, crash-consistent at most every hour, per VM.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: "seed 002 matrix rows \"Minimum Frequency ... 3 hours\" / \"... 1 hour\" and Note \"would result in failure\"",
    },
    Rule {
        id: RuleId::AtMost3PutsPerHour,
        statement: "At most 3 restore point PUTs per VM per hour; more get HTTP 429 with Retry-After.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: "seed 000 Throttling limits for Restore points (3 per hour per VM, HTTP 429)",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_rule_id_order_and_complete() {
        assert_eq!(catalogue().len(), RuleId::ALL.len());
        for (rule, id) in catalogue().iter().zip(RuleId::ALL) {
            assert_eq!(rule.id, *id);
            assert_eq!(id.rule().id, *id);
            assert!(!rule.statement.contains('\n'));
            assert!(!rule.source.is_empty());
            assert!(!rule.modes.is_empty());
        }
    }

    #[test]
    fn rule_ids_round_trip_as_kebab_case() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.as_str()), Some(*id));
            let json = serde_json::to_string(id).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
            assert!(
                id.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
    }
}
