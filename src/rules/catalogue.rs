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
    PrivateLinksNotSupportedAcrossRegions = "private-links-not-supported-across-regions",
    AppConsistent32BitAndCoreOsNotSupported = "app-consistent-32bit-and-coreos-not-supported",
    WindowsVersionsForAppConsistency = "windows-versions-for-app-consistency",
    WindowsPastExtendedSupport = "windows-past-extended-support",
    LinuxDistributionEndorsedByAzure = "linux-distribution-endorsed-by-azure",
    GuestAgentAvailableAndRecent = "guest-agent-available-and-recent",
    LinuxPython27WithAProxy = "linux-python-2-7-with-a-proxy",
    FileSystemConsistentCountsAsApplicationConsistent = "file-system-consistent-counts-as-application-consistent",
    InstantAccessEligibility = "instant-access-eligibility",
    InstantAccessNeedsFeatureRegistration = "instant-access-needs-feature-registration",
    InstantAccessDuration60To300 = "instant-access-duration-60-to-300",
    InstantAccessAtMost50ConcurrentPerSubscriptionRegion = "instant-access-at-most-50-concurrent-per-subscription-region",
    AtMost500PointsPerVm = "at-most-500-points-per-vm",
    AtMost10000CollectionsPerSubscriptionRegion = "at-most-10000-collections-per-subscription-region",
    NoConcurrentCreation = "no-concurrent-creation",
    MinimumFrequency3hApplication1hCrash = "minimum-frequency-3h-application-1h-crash",
    AtMost3PutsPerHour = "at-most-3-puts-per-hour",
    AtMost3CopiesPerTargetCollectionPerHour = "at-most-3-copies-per-target-collection-per-hour",
    CopyNeedsCopyableSnapshots = "copy-needs-copyable-snapshots",
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
    /// A cross-region copy of one restore point (`assess_copy`).
    Copy,
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

/// A document a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Document {
    /// One of the Microsoft documents rpdesk is built from (the seeds), by number: `"002"`.
    Seed(&'static str),
    /// A Microsoft document newer than the seeds, by its title on Microsoft Learn.
    Microsoft(&'static str),
}

impl Document {
    /// The title of a seed document, by number.
    pub fn seed_title(number: &str) -> Option<&'static str> {
        Some(match number {
            "000" => "Overview of Virtual Machine restore points",
            "001" => "Overview of VM restore points",
            "002" => "Support matrix for VM restore points",
            "003" => "Restore point (glossary)",
            "004" => "Backup and restore options for virtual machines in Azure",
            _ => return None,
        })
    }
}

impl std::fmt::Display for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Document::Seed(n) => match Document::seed_title(n) {
                Some(title) => write!(f, "seed {n} ({title})"),
                None => write!(f, "seed {n}"),
            },
            Document::Microsoft(title) => write!(f, "Microsoft document \u{201c}{title}\u{201d}"),
        }
    }
}

/// Where a rule comes from: a document and the words of it that the rule implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// The document.
    pub document: Document,
    /// Its words, verbatim; ` … ` marks a cut. Empty only for a Microsoft document cited
    /// as a whole.
    pub quote: &'static str,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.quote.is_empty() {
            write!(f, "{}", self.document)
        } else {
            write!(f, "{}: \u{201c}{}\u{201d}", self.document, self.quote)
        }
    }
}

/// A rule's sources, in the order they matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Source(pub &'static [Citation]);

impl Source {
    /// The citations.
    pub fn citations(&self) -> &'static [Citation] {
        self.0
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// A citation of a seed.
const fn seed(number: &'static str, quote: &'static str) -> Citation {
    Citation {
        document: Document::Seed(number),
        quote,
    }
}

/// A citation of a Microsoft document newer than the seeds.
const fn microsoft(title: &'static str, quote: &'static str) -> Citation {
    Citation {
        document: Document::Microsoft(title),
        quote,
    }
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// The rule in one line, as Microsoft documents it.
    pub statement: &'static str,
    /// VM-wide or per disk.
    pub scope: Scope,
    /// The modes it affects.
    pub modes: &'static [Mode],
    /// What it does when it fires.
    pub effect: Effect,
    /// The documents it comes from, with their words.
    pub source: Source,
    /// What rpdesk suggests doing about it, when Azure's documents say nothing: rpdesk's
    /// advice, not Azure's, and shown as such.
    pub advice: Option<&'static str>,
}

/// The whole catalogue, in `RuleId` order.
pub fn catalogue() -> &'static [Rule] {
    CATALOGUE
}

static CATALOGUE: &[Rule] = &[
    Rule {
        id: RuleId::UnmanagedDisksNotSupported,
        statement: "Restore points are supported only for managed disks; a VM with unmanaged (VHD) disks is refused.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[
            seed("002", "VMs using unmanaged disks | No"),
            seed(
                "000",
                "Restore points are supported only for managed disks.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::ConfidentialVmNotSupported,
        statement: "Confidential VMs are not supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[seed("002", "Confidential VMs | No")]),
        advice: None,
    },
    Rule {
        id: RuleId::VmssUniformInstanceNotSupported,
        statement: "VMs inside a scale set with Uniform orchestration are not supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[
            seed("002", "VMs inside VMSS with uniform orchestration | No"),
            seed(
                "000",
                "Restore points for virtual machine scale sets in Uniform orchestration mode aren't supported.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::VmssFlexMemberSupported,
        statement: "VMs in a Flexible scale set are supported one VM at a time; protect every member to protect the set.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[
            seed("002", "VMs inside VMSS with flexible orchestration | Yes."),
            seed(
                "000",
                "create restore points for each Virtual Machine separately",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AvailabilitySetMemberSupported,
        statement: "VMs in an availability set are supported one VM at a time; protect every member to protect the set.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[seed(
            "002",
            "VMs in an availability set | Yes. You can create VM restore points for individual VMs within an availability set.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::TrustedLaunchSupported,
        statement: "Trusted launch VMs are supported.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[seed("002", "VMs with trusted launch | Yes")]),
        advice: None,
    },
    Rule {
        id: RuleId::ApiVersionSupportsMode,
        statement: "Application-consistent points need api-version 2021-03-01 or later, crash-consistent 2021-07-01 or later (the matrix row; the seed's other limitations say 2021-03-01 for both, and the stricter wins).",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[
            seed(
                "002",
                "API version for Application consistent restore point | 2021-03-01 or later",
            ),
            seed(
                "002",
                "API version for Crash consistent restore point | 2021-07-01 or later",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AppConsistentNeedsRunningVm,
        statement: "An application-consistent point runs the guest agent's VSS writers or scripts inside the VM; Microsoft documents a stopped or deallocated VM as interfering with the operation, and rpdesk counts that as a refusal.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Block,
        source: Source(&[
            microsoft(
                "Troubleshoot restore point failures",
                "If the VM provisioning state is in the Stopped/Deallocated/Updating state, it interferes with the restore point operation",
            ),
            seed(
                "000",
                "Most common restore point failures are attributed to the communication with the VM agent and extension.",
            ),
        ]),
        advice: Some("start the VM, or create a crash-consistent point"),
    },
    Rule {
        id: RuleId::MovedVmStaleSourceId,
        statement: "Moving a VM with restore points between resource groups or subscriptions isn't supported: its collections keep the old source reference, which no longer matches the VM, and no point can be created in them.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[
            seed(
                "000",
                "Movement of Virtual Machines between resource groups or subscriptions isn't supported when the Virtual Machine has restore points.",
            ),
            seed(
                "000",
                "Moving the Virtual Machine between resource groups or subscriptions doesn't update the source Virtual Machine reference in the restore point and causes a mismatch of Resource Manager IDs between the actual Virtual Machine and the restore points.",
            ),
        ]),
        advice: Some(
            "create new points in a new collection whose source is the VM's current id; the old collections' points still restore disks",
        ),
    },
    Rule {
        id: RuleId::EphemeralOsDiskAlwaysExcluded,
        statement: "Ephemeral OS disks are never captured, in either mode; the point holds the other disks.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::ExcludeDisk,
        source: Source(&[seed(
            "002",
            "VMs using Ephemeral OS Disks | No. Exclude these disks and create a VM restore point.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::SharedDiskAlwaysExcluded,
        statement: "Shared disks (maxShares > 1) are never captured, in either mode; exclude them.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::ExcludeDisk,
        source: Source(&[seed(
            "002",
            "VMs using shared disks | No. Exclude these disks and create a VM restore point.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::UltraDiskExcludedForCrashConsistent,
        statement: "Ultra Disks are captured only in application-consistent points; exclude them for crash-consistent.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: Source(&[seed(
            "002",
            "VMs using Ultra Disks | Yes. Supported for application consistency. Not supported for crash consistency. Exclude these disks and create a VM restore point when using crash consistency.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::PremiumV2DiskExcludedForCrashConsistent,
        statement: "Premium SSD v2 disks are captured only in application-consistent points; exclude them for crash-consistent.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: Source(&[seed(
            "002",
            "VMs using Premium SSD v2 Disks | Yes. Supported for application consistency. Not supported for crash consistency. Exclude these disks and create a VM restore point when using crash consistency.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::WriteAcceleratedDiskExcludedForCrashConsistent,
        statement: "Write-accelerated disks are not supported in crash-consistent points; exclude them (any disk may be excluded, the OS disk too).",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::ExcludeDisk,
        source: Source(&[
            seed(
                "000",
                "Ultra Disks, Premium SSD v2 disks, Write-accelerated disks, Ephemeral OS disks, and shared disks aren't supported for crash consistency mode.",
            ),
            seed(
                "001",
                "To reduce your costs, you can optionally exclude any disk when creating a restore point for your VM.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent,
        statement: "Crash consistency cannot be guaranteed for disks with read/write host caching.",
        scope: Scope::Disk,
        modes: CRASH_ONLY,
        effect: Effect::Warn,
        source: Source(&[seed(
            "000",
            "Crash consistency cannot be guaranteed for: … Disks with read/write host caching enabled",
        )]),
        advice: Some("use application-consistent, or set the disk's caching to ReadOnly or None"),
    },
    Rule {
        id: RuleId::AzureBoostV6SizeWithSeveralDataDisksNotGuaranteedCrashConsistent,
        statement: "Crash consistency cannot be guaranteed on Intel v6+ / AMD v7+ (Azure Boost) sizes with more than one data disk.",
        scope: Scope::Vm,
        modes: CRASH_ONLY,
        effect: Effect::Warn,
        source: Source(&[seed(
            "000",
            "Intel V6+ (Dsv6, Edsv6, Esv6 series, etc.) and AMD V7+ (Dasv7, Dadsv7, Easv7, Faldsv7 series, etc.) Virtual Machines with more than one data disk.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::TemporaryDiskNeverCaptured,
        statement: "The temporary (resource) disk is never captured.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[seed(
            "002",
            "the restore points created don't contain the data from the temporary disks",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::NfsMountsNotCaptured,
        statement: "NFS shares mounted in the guest are not captured; only locally attached disks are.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[seed(
            "002",
            "Restore points don't back up NFS files that are mounted from storage, or from any other NFS server, to Linux or Windows machines.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::EncryptionNotCarriedToRestorePoint,
        statement: "Source disk encryption (customer-managed key, double, at host) is not carried to the restore point unless set per disk on create.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[
            microsoft(
                "Compute REST API: RestorePointEncryption",
                "Encryption at rest settings for disk restore point. It is an optional property that can be specified in the input while creating a restore point.",
            ),
            microsoft(
                "Support matrix for VM restore points (concepts-restore-points)",
                "",
            ),
            seed(
                "002",
                "VMs with server-side encryption using customer-managed keys | Yes",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::CmkBecomesPmkOnCrossRegionCopy,
        statement: "Customer-managed-key points copied to, or created directly in, another region than the VM's are platform-managed-key encrypted.",
        scope: Scope::Disk,
        modes: BOTH_MODES,
        effect: Effect::Note,
        source: Source(&[
            seed(
                "000",
                "CMK-encrypted restore points are copied as PMK-encrypted in the target region.",
            ),
            seed(
                "001",
                "Customer-managed key encrypted restore points, when copied to a target region or created directly in the target region are created as platform-managed key encrypted restore points.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::PrivateLinksNotSupportedAcrossRegions,
        statement: "Private links aren't supported when copying restore points across regions or creating them in another region than the VM's.",
        scope: Scope::Copy,
        modes: BOTH_MODES,
        effect: Effect::Warn,
        source: Source(&[
            seed(
                "000",
                "Private links aren't supported when copying restore points across regions.",
            ),
            seed(
                "001",
                "Private links are not supported when copying restore points across regions or creating restore points in a region other than the source VM.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AppConsistent32BitAndCoreOsNotSupported,
        statement: "Application consistency is not supported on 32-bit guests or CoreOS Linux.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Block,
        source: Source(&[
            seed("002", "Restore points don't support Core OS Linux."),
            seed(
                "002",
                "Restore points don't support 32-bit operating systems.",
            ),
        ]),
        advice: Some("create a crash-consistent point"),
    },
    Rule {
        id: RuleId::WindowsVersionsForAppConsistency,
        statement: "Application consistency on Windows is documented for Windows 10 (64-bit) and Windows Server 2012 to 2022.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: Source(&[seed(
            "002",
            "The following Windows operating systems are supported when creating restore points for Azure VMs running on Windows.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::WindowsPastExtendedSupport,
        statement: "Windows releases past the end of Microsoft's extended support (and then of their Extended Security Updates) are not supported for application consistency; ARM does not show whether a VM is enrolled in Extended Security Updates.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: Source(&[
            seed(
                "002",
                "OS that have reached extended security update will not be supported. Check your product's lifecycle here",
            ),
            microsoft(
                "Microsoft Lifecycle: Windows Server and Windows 10 lifecycle pages",
                "",
            ),
        ]),
        advice: Some("upgrade the guest, or use crash-consistent points"),
    },
    Rule {
        id: RuleId::LinuxDistributionEndorsedByAzure,
        statement: "Application consistency on Linux is supported for the distributions endorsed by Azure; others might work if the Azure VM agent for Linux and Python are available.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: Source(&[
            seed(
                "002",
                "For Azure VM Linux VMs, restore points support the list of Linux distributions endorsed by Azure.",
            ),
            seed(
                "002",
                "Other bring-your-own Linux distributions might work as long as the Azure VM agent for Linux is available on the VM, and as long as Python is supported.",
            ),
            microsoft("Endorsed Linux distributions on Azure", ""),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::GuestAgentAvailableAndRecent,
        statement: "Application-consistent points need the Azure VM agent running in the guest, at least the oldest version Microsoft supports (Windows 2.7.41491.901, Linux 2.2.10).",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: Source(&[
            seed(
                "002",
                "as long as the Azure VM agent for Linux is available on the VM",
            ),
            seed(
                "000",
                "Most common restore point failures are attributed to the communication with the VM agent and extension.",
            ),
            microsoft(
                "Minimum version support for virtual machine agents in Azure",
                "",
            ),
        ]),
        advice: Some("update the VM agent in the guest"),
    },
    Rule {
        id: RuleId::LinuxPython27WithAProxy,
        statement: "A Linux VM that reaches Azure through a proxy needs Python 2.7 or later for application-consistent points; ARM shows neither the proxy nor Python, so rpdesk reads the release.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Warn,
        source: Source(&[seed(
            "002",
            "Restore points don't support a proxy-configured Linux VM if it doesn't have Python version 2.7 or higher installed.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::FileSystemConsistentCountsAsApplicationConsistent,
        statement: "On Linux an application-consistent point is file-system-consistent unless the application provides pre/post scripts; rpdesk counts file-system-consistent points as application-consistent (the 3-hour interval, the PUT budget, instant access).",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Note,
        source: Source(&[
            seed(
                "001",
                "VM restore points support application consistency for VMs running Windows operating systems and support file system consistency for VMs running Linux operating system.",
            ),
            seed(
                "001",
                "To get an application consistent restore point, the application running in the VM needs to provide a VSS writer (for Windows), or pre and post scripts (for Linux) to achieve application consistency.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::InstantAccessEligibility,
        statement: "Instant access needs an application-consistent point that captures a Premium SSD v2 or Ultra data disk, a listed region and api-version 2025-04-01; a point without them is created without it.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[
            seed(
                "000",
                "Supported only for application-consistent restore points on Virtual Machines with Premium SSD v2 or Ultra data disks.",
            ),
            seed(
                "000",
                "Supported regions West Central US, West US, North Central US, West US 2, South Central US",
            ),
            seed("000", "API Version 2025-04-01 or later"),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::InstantAccessNeedsFeatureRegistration,
        statement: "Instant access needs the subscription feature Microsoft.Compute/AppConsistentInstantAccessSnapshotForDirectDriveDisks registered; ARM's VM and collection do not show whether it is.",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::Note,
        source: Source(&[seed(
            "000",
            "Run Register-AzProviderFeature -FeatureName 'AppConsistentInstantAccessSnapshotForDirectDriveDisks' -ProviderNamespace 'Microsoft.Compute'",
        )]),
        advice: Some(
            "az feature register --namespace Microsoft.Compute --name AppConsistentInstantAccessSnapshotForDirectDriveDisks",
        ),
    },
    Rule {
        id: RuleId::InstantAccessDuration60To300,
        statement: "instantAccessDurationMinutes must be between 60 and 300.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[seed("000", "Valid range: 60–300 minutes.")]),
        advice: None,
    },
    Rule {
        id: RuleId::InstantAccessAtMost50ConcurrentPerSubscriptionRegion,
        statement: "At most 50 instant access restore point creations run at once per subscription per region (points created without instant access do not count).",
        scope: Scope::Vm,
        modes: APP_ONLY,
        effect: Effect::WaitUntil,
        source: Source(&[
            seed(
                "000",
                "Maximum 50 concurrent Instant Access restore point creations per subscription per region.",
            ),
            seed("000", "Not supported for crash-consistent restore points."),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AtMost500PointsPerVm,
        statement: "At most 500 restore points are retained per VM, across all its collections and both modes.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[seed(
            "000",
            "A maximum of 500 Virtual Machine restore points can be retained at any time for a Virtual Machine, irrespective of the number of restore point collections or consistency type.",
        )]),
        advice: Some("delete old points first"),
    },
    Rule {
        id: RuleId::AtMost10000CollectionsPerSubscriptionRegion,
        statement: "At most 10,000 restore point collections per subscription per region.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::Block,
        source: Source(&[seed(
            "002",
            "A maximum of 10,000 restore point collections can be retained at per subscription per region level.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::NoConcurrentCreation,
        statement: "Only one restore point is created at a time for a VM.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: Source(&[seed(
            "000",
            "Concurrent creation of restore points for the same Virtual Machine isn't supported.",
        )]),
        advice: None,
    },
    Rule {
        id: RuleId::MinimumFrequency3hApplication1hCrash,
        statement: "Application-consistent points at most every 3 hours, crash-consistent at most every hour, per VM.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: Source(&[
            seed(
                "002",
                "Minimum Frequency at which App consistent restore point can be taken | 3 hours",
            ),
            seed(
                "002",
                "Minimum Frequency at which crash consistent restore points can be taken | 1 hour",
            ),
            seed(
                "002",
                "Taking restore points at a frequency lower than supported would result in failure.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AtMost3PutsPerHour,
        statement: "At most 3 application-consistent and 3 crash-consistent restore point PUTs per VM per hour, separate budgets; more get HTTP 429 with Retry-After.",
        scope: Scope::Vm,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: Source(&[
            seed(
                "000",
                "Virtual Machine RestorePoints.RestorePointOperation.PUT (Create new Application Consistent) 3",
            ),
            seed(
                "000",
                "Virtual Machine RestorePoints.RestorePointOperation.PUT (Create new Crash Consistent) 3",
            ),
            seed(
                "000",
                "Requests that exceed limits return HTTP 429. Retry after the interval specified in the response.",
            ),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::AtMost3CopiesPerTargetCollectionPerHour,
        statement: "At most 3 copies into one target restore point collection per hour; more get HTTP 429 with Retry-After.",
        scope: Scope::Copy,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: Source(&[
            seed(
                "000",
                "Target restore point collection RestorePoints.RestorePointOperation.PUT (Copy any Virtual Machine Restore Point) 3",
            ),
            seed("000", "Requests that exceed limits return HTTP 429."),
        ]),
        advice: None,
    },
    Rule {
        id: RuleId::CopyNeedsCopyableSnapshots,
        statement: "A restore point is copied to another region only once every disk restore point's snapshot is available: a Pending one (its background copy still running) or an instant access one cannot be copied yet.",
        scope: Scope::Copy,
        modes: BOTH_MODES,
        effect: Effect::WaitUntil,
        source: Source(&[
            seed(
                "000",
                "Once the disk restore points are created, Azure automatically initiates a background data copy from source disk to snapshot.",
            ),
            microsoft(
                "Compute REST API: SnapshotAccessState",
                "Pending: Snapshot is being created and cannot be used for restore, copy or download to offline. … InstantAccess: Snapshot can be used for restoring disks with fast performance but cannot be copied or downloaded.",
            ),
        ]),
        advice: None,
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
            assert!(!rule.source.citations().is_empty(), "{}", rule.id);
            for c in rule.source.citations() {
                let seed_quoted = matches!(c.document, Document::Seed(_)) && !c.quote.is_empty();
                let microsoft = matches!(c.document, Document::Microsoft(_));
                assert!(seed_quoted || microsoft, "{}: {c}", rule.id);
                if let Document::Seed(n) = c.document {
                    assert!(Document::seed_title(n).is_some(), "{}: {c}", rule.id);
                }
            }
            // The project stands alone: sources name Microsoft's documents, not notes.
            let text = rule.source.to_string();
            for note in ["ARM-WIRE", "DESIGN.md", "RESTORE-COST", "../shared"] {
                assert!(!text.contains(note), "{}: {text}", rule.id);
            }
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
