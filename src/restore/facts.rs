//! What the planner knows: the point, each disk restore point's readiness, the VM it came
//! from (if it still exists), names already taken, subnets. Built from the inventory by
//! `Inventory::restore_facts`; plain data here.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    CachingType, ConsistencyMode, OsType, ResourceId, RestorePoint, SnapshotAccessState,
    StorageAccountType, VirtualMachine,
};

/// A managed disk as it is now.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveDisk {
    pub id: ResourceId,
    pub sku: Option<StorageAccountType>,
    pub size_gb: Option<f64>,
    pub zones: Vec<String>,
    pub disk_encryption_set_id: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// One disk the point captured, with its disk restore point.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskPointFacts {
    /// The disk restore point.
    pub id: ResourceId,
    /// `None` for the OS disk.
    pub lun: Option<i32>,
    pub captured_name: String,
    pub size_gb: Option<f64>,
    pub sku: Option<StorageAccountType>,
    pub caching: CachingType,
    pub write_accelerator: bool,
    /// The disk it was taken from, and that disk now if it still exists.
    pub source_disk_id: Option<ResourceId>,
    pub source_disk: Option<LiveDisk>,
    /// Read from the disk restore point resource (or the point's instance view).
    pub access_state: Option<SnapshotAccessState>,
    pub completion_percent: Option<f64>,
    pub logical_sector_size: Option<i64>,
    /// How the point holds this disk: `EncryptionAtRestWithPlatformKey`…
    pub encryption_type: Option<String>,
    /// Whether the disk restore point resource itself was read.
    pub details_loaded: bool,
}

/// Whether a disk restore point can be restored now.
#[derive(Clone, Debug, PartialEq)]
pub enum Readiness {
    Ready,
    /// Usable now through instant access (Premium SSD v2 / Ultra targets only).
    InstantAccess,
    NotReady {
        reason: String,
        percent: Option<f64>,
    },
    /// The disk restore point has not been read yet.
    Unknown,
}

impl DiskPointFacts {
    /// "OS" or "LUN 3".
    pub fn role(&self) -> String {
        match self.lun {
            None => "OS".into(),
            Some(l) => format!("LUN {l}"),
        }
    }

    /// Whether this is the OS disk.
    pub fn is_os(&self) -> bool {
        self.lun.is_none()
    }

    /// Premium SSD v2 and Ultra sources.
    pub fn is_direct_drive(&self) -> bool {
        self.sku
            .as_ref()
            .is_some_and(|s| s.is_ultra_or_premium_v2())
    }

    /// Whether it can be restored now, and why not (Microsoft's incremental snapshot and
    /// instant access articles: a `Pending` snapshot "can't be used to create a new disk";
    /// Premium SSD v2 / Ultra snapshots wait for their background copy).
    pub fn readiness(&self) -> Readiness {
        let percent = self.completion_percent;
        let copying = percent.is_some_and(|p| p < 100.0);
        match &self.access_state {
            Some(SnapshotAccessState::Pending) => Readiness::NotReady {
                reason: match percent {
                    Some(p) => format!("still being copied ({p:.0}%): Azure refuses a restore until it is done"),
                    None => "still being created (Pending): Azure refuses a restore until it is available".into(),
                },
                percent,
            },
            Some(SnapshotAccessState::Unknown) => Readiness::NotReady {
                reason: "its state is Unknown (the restore point may have failed)".into(),
                percent,
            },
            Some(SnapshotAccessState::InstantAccess | SnapshotAccessState::AvailableWithInstantAccess) => {
                Readiness::InstantAccess
            }
            _ if copying => Readiness::NotReady {
                reason: format!("still being copied ({:.0}%)", percent.unwrap_or(0.0)),
                percent,
            },
            Some(_) => Readiness::Ready,
            None if self.details_loaded => Readiness::Ready,
            None => Readiness::Unknown,
        }
    }
}

/// The VM a point came from, as it is now.
#[derive(Clone, Debug)]
pub struct LiveVm {
    pub vm: VirtualMachine,
    pub os_disk: Option<LiveDisk>,
    /// Data disks now, by LUN.
    pub data_disks: Vec<(i32, Option<LiveDisk>)>,
    /// The primary NIC's subnet, once the NIC was read.
    pub subnet_id: Option<ResourceId>,
}

impl LiveVm {
    /// Whether the VM is running (power state known and `running` or `starting`).
    pub fn is_running(&self) -> bool {
        matches!(
            self.vm.power_state(),
            Some(crate::model::PowerState::Running | crate::model::PowerState::Starting)
        )
    }
}

/// A subnet a new VM's NIC could go into.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetFacts {
    pub id: ResourceId,
    pub name: String,
    pub vnet: String,
    pub location: String,
}

impl SubnetFacts {
    /// "vnet / subnet (region)".
    pub fn label(&self) -> String {
        format!("{} / {} ({})", self.vnet, self.name, self.location)
    }
}

/// A restore point the rules allow right now, to be taken before a swap.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SafetyPoint {
    pub vm_id: ResourceId,
    pub collection_id: ResourceId,
    pub create_collection: bool,
    pub location: String,
    pub point_name: String,
    pub mode: ConsistencyMode,
    pub exclude_disks: Vec<ResourceId>,
}

impl SafetyPoint {
    /// "crash-consistent" or "application-consistent".
    pub fn mode_text(&self) -> &'static str {
        match self.mode {
            ConsistencyMode::CrashConsistent => "crash-consistent",
            _ => "application-consistent",
        }
    }
}

/// Everything the planner and the validation read.
#[derive(Clone, Debug)]
pub struct RestoreFacts {
    pub point: RestorePoint,
    pub collection_id: ResourceId,
    /// The collection's region: restored disks are created there.
    pub location: String,
    /// OS disk first, then data disks by LUN.
    pub disks: Vec<DiskPointFacts>,
    /// The VM the point was taken from (from the collection).
    pub source_vm_id: Option<ResourceId>,
    pub live_vm: Option<LiveVm>,
    /// Why the source VM cannot be rolled back in place, when it cannot.
    pub vm_missing_reason: Option<String>,
    /// `resourcegroup/name`, lower case, of every disk and VM known in the subscription.
    pub taken_disk_names: BTreeSet<String>,
    pub taken_vm_names: BTreeSet<String>,
    /// Subnets of the subscription (`None` until loaded).
    pub subnets: Option<Vec<SubnetFacts>>,
    /// Resource groups of the subscription, sorted.
    pub resource_groups: Vec<String>,
    /// A safety point the rules allow now, or why not.
    pub safety_point: Result<SafetyPoint, String>,
    pub now_unix: i64,
}

impl RestoreFacts {
    /// The captured OS type.
    pub fn os_type(&self) -> Option<OsType> {
        self.point
            .properties
            .source_metadata
            .as_ref()?
            .storage_profile
            .as_ref()?
            .os_disk
            .as_ref()?
            .os_type
            .clone()
    }

    /// The point's creation time.
    pub fn point_time(&self) -> Option<i64> {
        self.point.properties.time_created.map(|t| t.unix_secs())
    }

    /// Whether a disk named `name` exists in `resource_group`.
    pub fn disk_name_taken(&self, resource_group: &str, name: &str) -> bool {
        self.taken_disk_names
            .contains(&name_key(resource_group, name))
    }

    /// Whether a VM named `name` exists in `resource_group`.
    pub fn vm_name_taken(&self, resource_group: &str, name: &str) -> bool {
        self.taken_vm_names
            .contains(&name_key(resource_group, name))
    }

    /// The subscription the point lives in.
    pub fn subscription_id(&self) -> &str {
        self.collection_id.subscription_id()
    }
}

/// Key of a name in a resource group, as ARM compares them (case-insensitive).
pub fn name_key(resource_group: &str, name: &str) -> String {
    format!("{}/{}", resource_group, name).to_ascii_lowercase()
}
