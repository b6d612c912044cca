//! ARM string enums. Each keeps values it does not know (`Other`) instead of failing to
//! parse, because Azure adds values without notice; comparison ignores case.

/// Declares an open string enum: known variants plus `Other(Box<String>)`. A thin box makes
/// the enum 16 bytes (a `Box<str>` would make it 24): a fleet holds several per restore
/// point, and an unknown value is rare.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// A value this version of rpdesk does not know, kept verbatim.
            Other(Box<String>),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s,
                }
            }

            /// Parses wire text, case-insensitively; unknown text becomes `Other`.
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($text) { return $name::$variant; })+
                $name::Other(Box::new(text.to_owned()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Some examples carry numbers for enums ("diskState": "0"); accept any scalar.
                let v = serde_json::Value::deserialize(d)?;
                Ok(match v {
                    serde_json::Value::String(s) => $name::parse(&s),
                    other => $name::Other(Box::new(other.to_string())),
                })
            }
        }
    };
}

open_enum!(
    /// `consistencyMode` of a restore point.
    ConsistencyMode {
        CrashConsistent = "CrashConsistent",
        FileSystemConsistent = "FileSystemConsistent",
        ApplicationConsistent = "ApplicationConsistent",
    }
);

open_enum!(
    /// `provisioningState` of any resource.
    ProvisioningState {
        Succeeded = "Succeeded",
        Failed = "Failed",
        Canceled = "Canceled",
        Creating = "Creating",
        Updating = "Updating",
        Deleting = "Deleting",
        Accepted = "Accepted",
        InProgress = "InProgress",
    }
);

impl ProvisioningState {
    /// Succeeded, Failed and Canceled end a long-running operation; everything else is in flight.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Canceled)
    }
}

open_enum!(
    /// Managed disk SKU (`sku.name`, `managedDisk.storageAccountType`).
    StorageAccountType {
        StandardLrs = "Standard_LRS",
        PremiumLrs = "Premium_LRS",
        StandardSsdLrs = "StandardSSD_LRS",
        UltraSsdLrs = "UltraSSD_LRS",
        PremiumZrs = "Premium_ZRS",
        StandardSsdZrs = "StandardSSD_ZRS",
        PremiumV2Lrs = "PremiumV2_LRS",
    }
);

impl StorageAccountType {
    /// Ultra and Premium SSD v2: application-consistent restore points only.
    pub fn is_ultra_or_premium_v2(&self) -> bool {
        matches!(self, Self::UltraSsdLrs | Self::PremiumV2Lrs)
    }

    /// Short friendly name for tables.
    pub fn short_label(&self) -> &str {
        match self {
            Self::StandardLrs => "Standard HDD",
            Self::PremiumLrs => "Premium SSD",
            Self::StandardSsdLrs => "Standard SSD",
            Self::UltraSsdLrs => "Ultra Disk",
            Self::PremiumZrs => "Premium SSD ZRS",
            Self::StandardSsdZrs => "Standard SSD ZRS",
            Self::PremiumV2Lrs => "Premium SSD v2",
            Self::Other(s) => s,
        }
    }
}

open_enum!(
    /// `osType`.
    OsType {
        Windows = "Windows",
        Linux = "Linux",
    }
);

open_enum!(
    /// Host caching of a VM disk.
    CachingType {
        None = "None",
        ReadOnly = "ReadOnly",
        ReadWrite = "ReadWrite",
    }
);

open_enum!(
    /// `diskState` of a managed disk.
    DiskState {
        Unattached = "Unattached",
        Attached = "Attached",
        Reserved = "Reserved",
        Frozen = "Frozen",
        ActiveSas = "ActiveSAS",
        ActiveSasFrozen = "ActiveSASFrozen",
        ReadyToUpload = "ReadyToUpload",
        ActiveUpload = "ActiveUpload",
    }
);

open_enum!(
    /// `creationData.createOption` of a disk, or `createOption` of a VM disk.
    DiskCreateOption {
        Empty = "Empty",
        Attach = "Attach",
        FromImage = "FromImage",
        Import = "Import",
        Copy = "Copy",
        Restore = "Restore",
        Upload = "Upload",
        CopyStart = "CopyStart",
    }
);

open_enum!(
    /// `snapshotAccessState` of a disk restore point (instant access).
    SnapshotAccessState {
        Unknown = "Unknown",
        Pending = "Pending",
        Available = "Available",
        InstantAccess = "InstantAccess",
        AvailableWithInstantAccess = "AvailableWithInstantAccess",
    }
);

impl SnapshotAccessState {
    /// Pending disk restore points cannot be used for restore, copy or download.
    pub fn is_restorable(&self) -> bool {
        !matches!(self, Self::Pending)
    }

    /// Whether a cross-region copy can read it: `Pending` "cannot be used for restore,
    /// copy or download", `InstantAccess` "cannot be copied or downloaded" (the Compute
    /// REST API's `SnapshotAccessState`); `Unknown` is not known to be either.
    pub fn is_copyable(&self) -> bool {
        matches!(self, Self::Available | Self::AvailableWithInstantAccess)
    }
}

open_enum!(
    /// `securityProfile.securityType` of a VM.
    SecurityType {
        TrustedLaunch = "TrustedLaunch",
        ConfidentialVm = "ConfidentialVM",
        Standard = "Standard",
    }
);

open_enum!(
    /// The `PowerState/…` code of a VM instance view.
    PowerState {
        Running = "running",
        Starting = "starting",
        Stopping = "stopping",
        Stopped = "stopped",
        Deallocating = "deallocating",
        Deallocated = "deallocated",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_are_kept() {
        let v: ConsistencyMode = serde_json::from_str("\"QuantumConsistent\"").unwrap();
        assert_eq!(
            v,
            ConsistencyMode::Other(Box::new("QuantumConsistent".into()))
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"QuantumConsistent\"");
    }

    #[test]
    fn enum_parsing_ignores_case_and_accepts_numbers() {
        assert_eq!(
            StorageAccountType::parse("ultrassd_lrs"),
            StorageAccountType::UltraSsdLrs
        );
        let v: DiskState = serde_json::from_str("0").unwrap();
        assert_eq!(v, DiskState::Other(Box::new("0".into())));
    }
}
