//! The emulated estate: typed records keyed by lower-cased ARM id (ARM ids are
//! case-insensitive), rendered to ARM JSON only when answered (see `render`).
//!
//! Restore points share VM configuration snapshots by index (`snapshots`), so a large
//! estate with ten points per VM stays small in memory.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::errors::ArmError;
use super::tracked::{Appended, Table, Tracked, Watched};

pub type Tags = BTreeMap<String, String>;

/// Lower-case key for an ARM id.
pub fn key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Subscription {
    pub subscription_id: String,
    pub display_name: String,
    pub tenant_id: String,
    pub state: String,
    pub tags: Tags,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceGroup {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: Tags,
    pub managed_by: Option<String>,
}

/// One disk slot of a VM (OS disk or a data disk).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VmDisk {
    /// `None` for the OS disk.
    pub lun: Option<i64>,
    pub name: String,
    /// Managed disk id; `None` for an ephemeral OS disk or an unmanaged (VHD) disk.
    pub disk_id: Option<String>,
    pub storage_type: String,
    pub caching: String,
    pub write_accelerator: bool,
    pub size_gb: i64,
    pub create_option: String,
    /// `diffDiskSettings.placement` for an ephemeral OS disk.
    pub ephemeral_placement: Option<String>,
    /// Blob URI of an unmanaged disk (restore points refuse these).
    pub vhd_uri: Option<String>,
    pub source_resource: Option<String>,
    pub delete_option: String,
}

/// VM extras that only decorate the JSON (extensions, gallery apps, user data).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VmDecor {
    pub application_profile: Option<Value>,
    pub user_data: Option<String>,
    pub extensions: Vec<String>,
    pub boot_diagnostics_uri: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vm {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: Tags,
    pub zones: Vec<String>,
    pub vm_id: Uuid,
    pub size: String,
    pub os_type: String,
    pub os_name: String,
    /// The instance view's `osVersion`; `None`: derived from the OS (see `render::vm`).
    #[serde(default)]
    pub os_version: Option<String>,
    /// The guest agent's `vmAgentVersion`; `None`: a current agent.
    #[serde(default)]
    pub agent_version: Option<String>,
    pub image: Option<[String; 4]>,
    pub computer_name: String,
    pub admin_username: String,
    pub os_disk: VmDisk,
    pub data_disks: Vec<VmDisk>,
    pub nics: Vec<String>,
    /// `running`, `deallocated`, `stopped`, `starting`, `deallocating`, `stopping`.
    pub power: String,
    pub provisioning: String,
    pub security_type: Option<String>,
    /// VMSS id and whether that scale set uses Uniform orchestration.
    pub vmss: Option<(String, bool)>,
    pub availability_set: Option<String>,
    pub ppg: Option<String>,
    pub disk_controller: Option<String>,
    pub ultra_ssd_enabled: bool,
    pub hyperv_gen: String,
    pub license_type: Option<String>,
    pub encryption_at_host: bool,
    pub time_created: f64,
    pub etag: u64,
    /// Virtual time until which a model change is in progress (restore points refused).
    pub busy_until: f64,
    pub decor: VmDecor,
    /// Index of the current configuration snapshot, reused until the model changes.
    pub snapshot: Option<usize>,
}

impl Vm {
    pub fn all_disks(&self) -> impl Iterator<Item = &VmDisk> {
        std::iter::once(&self.os_disk).chain(self.data_disks.iter())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Disk {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: Tags,
    pub zones: Vec<String>,
    pub sku: String,
    pub size_gb: i64,
    pub os_type: Option<String>,
    pub hyperv_gen: Option<String>,
    pub create_option: String,
    pub source_resource_id: Option<String>,
    pub source_unique_id: Option<String>,
    pub image_reference_id: Option<String>,
    pub managed_by: Option<String>,
    pub managed_by_extended: Vec<String>,
    pub max_shares: Option<i64>,
    pub encryption_type: String,
    pub disk_encryption_set: Option<String>,
    pub security_type: Option<String>,
    pub unique_id: Uuid,
    pub time_created: f64,
    pub provisioning: String,
    pub iops: Option<i64>,
    pub mbps: Option<i64>,
    pub network_access_policy: String,
    pub public_network_access: String,
    /// Virtual time until which a SAS granted by beginGetAccess is active.
    pub sas_until: Option<f64>,
    /// Background copy of a Premium SSD v2 / Ultra disk restored from a disk restore point
    /// (`None` for every other disk). Defaulted so state files from before it still load.
    #[serde(default)]
    pub hydration: Option<Hydration>,
}

/// A background data copy running in virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hydration {
    /// Virtual time the copy starts (a restored disk hydrates once its create operation ends).
    pub started: f64,
    /// Virtual seconds the copy lasts.
    pub secs: f64,
}

/// A VM's configuration at capture time (what `sourceMetadata` shows).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VmSnapshot {
    pub vm_id: Uuid,
    pub size: String,
    pub location: String,
    pub os_type: String,
    pub computer_name: String,
    pub admin_username: String,
    pub disk_controller: Option<String>,
    pub security_type: Option<String>,
    pub hyperv_gen: String,
    pub license_type: Option<String>,
    pub user_data: Option<String>,
    /// OS disk first, then data disks.
    pub disks: Vec<SnapDisk>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SnapDisk {
    pub lun: Option<i64>,
    pub name: String,
    pub disk_id: String,
    pub storage_type: String,
    pub caching: String,
    pub write_accelerator: bool,
    pub size_gb: i64,
    pub source_unique_id: Uuid,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DiskPoint {
    /// Index into the snapshot's disks.
    pub disk: usize,
    pub uid: Uuid,
    pub family_id: Uuid,
    pub sas_until: Option<f64>,
    /// For a cross-region copy: the disk restore point it was copied from.
    #[serde(default)]
    pub source_drp: Option<String>,
    /// The encryption the create request set for this disk (`None`: platform-managed
    /// keys; the source disk's encryption is not carried). Boxed: most points have none.
    #[serde(default)]
    pub encryption: Option<Box<PointEncryption>>,
}

/// `diskRestorePoint.encryption` as a create request set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointEncryption {
    /// `EncryptionAtRestWithCustomerKey` or `EncryptionAtRestWithPlatformAndCustomerKeys`.
    pub kind: String,
    pub disk_encryption_set: String,
}

/// The encryption type of a disk restore point with platform-managed keys.
pub const PLATFORM_KEY: &str = "EncryptionAtRestWithPlatformKey";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CopyInfo {
    pub source_point_id: String,
    pub source_location: String,
    pub started: f64,
    pub duration: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Point {
    pub name: String,
    pub consistency: String,
    pub exclude: Vec<String>,
    pub instant_access_minutes: Option<i64>,
    pub created: f64,
    pub ready_at: f64,
    pub provisioning: String,
    pub snapshot: usize,
    pub disks: Vec<DiskPoint>,
    /// Boxed: most points are not copies and did not fail, and a large estate holds
    /// hundreds of thousands of points.
    pub copy: Option<Box<CopyInfo>>,
    pub failure: Option<Box<ArmError>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Collection {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: Tags,
    pub source_id: String,
    pub source_location: String,
    pub instant_access: bool,
    pub uuid: Uuid,
    pub provisioning: String,
    pub points: Vec<Point>,
}

impl Collection {
    pub fn point(&self, name: &str) -> Option<&Point> {
        self.points
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
    pub fn point_mut(&mut self, name: &str) -> Option<&mut Point> {
        self.points
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
}

/// What happens when an operation completes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Effect {
    None,
    PointReady {
        collection: String,
        point: String,
    },
    DeletePoint {
        collection: String,
        point: String,
    },
    DeleteCollection {
        collection: String,
    },
    DiskReady {
        disk: String,
    },
    DeleteDisk {
        disk: String,
    },
    VmReady {
        vm: String,
    },
    VmPower {
        vm: String,
        power: String,
        previous: String,
    },
    DeleteVm {
        vm: String,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Operation {
    pub id: Uuid,
    pub subscription: String,
    pub location: String,
    pub started: f64,
    pub done_at: f64,
    pub failure: Option<ArmError>,
    pub effect: Effect,
    pub applied: bool,
    /// Body of the final `Location` GET (e.g. a SAS for beginGetAccess).
    pub result: Option<Value>,
}

/// The whole emulated world (what `--state` persists and `/_emulator/estate` exports).
/// Every key is required (every version has written them all), so that a file of another
/// shape is refused rather than loaded as an empty estate.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Estate {
    pub subscriptions: Table<Subscription>,
    pub groups: Table<ResourceGroup>,
    pub vms: Table<Vm>,
    pub disks: Table<Disk>,
    pub collections: Table<Collection>,
    pub snapshots: Appended<VmSnapshot>,
    pub vnets: Table<Value>,
    pub nics: Table<Value>,
    pub operations: Table<Operation>,
    /// Virtual times of restore point PUTs, per VM (or target collection for copies).
    pub put_log: Table<Vec<f64>>,
    /// Ids (lower-case) of operations whose effect has not been applied yet.
    #[serde(default)]
    pub pending: Watched<Vec<String>>,
    /// Virtual time the estate was saved at (restores the clock on load).
    pub saved_at: f64,
    /// Where the state file stands in its journal (see `persist`); absent from files
    /// written before the journal existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<super::persist::Mark>,
}

impl Estate {
    /// The tables, by the names their JSON uses.
    pub fn tables_mut(&mut self) -> [(&'static str, &mut dyn Tracked); 9] {
        [
            ("subscriptions", &mut self.subscriptions),
            ("groups", &mut self.groups),
            ("vms", &mut self.vms),
            ("disks", &mut self.disks),
            ("collections", &mut self.collections),
            ("vnets", &mut self.vnets),
            ("nics", &mut self.nics),
            ("operations", &mut self.operations),
            ("put_log", &mut self.put_log),
        ]
    }

    /// Forgets what changed: it is saved (or the estate was just built or loaded).
    pub fn commit(&mut self) {
        for (_, table) in self.tables_mut() {
            table.commit();
        }
        self.snapshots.commit();
        self.pending.commit();
    }

    /// Puts everything back as it was at the last commit.
    pub fn rollback(&mut self) {
        for (_, table) in self.tables_mut() {
            table.rollback();
        }
        self.snapshots.rollback();
        self.pending.rollback();
    }

    pub fn rg_key(sub: &str, rg: &str) -> String {
        key(&format!("/subscriptions/{sub}/resourceGroups/{rg}"))
    }

    pub fn has_sub(&self, sub: &str) -> bool {
        self.subscriptions.contains_key(&sub.to_ascii_lowercase())
    }

    /// Snapshot of a VM's current configuration, reused while the model is unchanged.
    pub fn snapshot_of(&mut self, vm_key: &str) -> Option<usize> {
        let vm = self.vms.get(vm_key)?;
        if let Some(i) = vm.snapshot {
            return Some(i);
        }
        let disks = vm
            .all_disks()
            .filter_map(|d| {
                let id = d.disk_id.clone()?;
                let disk = self.disks.get(&key(&id));
                Some(SnapDisk {
                    lun: d.lun,
                    name: d.name.clone(),
                    disk_id: disk.map(|x| x.id.clone()).unwrap_or(id),
                    storage_type: disk
                        .map(|x| x.sku.clone())
                        .unwrap_or_else(|| d.storage_type.clone()),
                    caching: d.caching.clone(),
                    write_accelerator: d.write_accelerator,
                    size_gb: disk.map(|x| x.size_gb).unwrap_or(d.size_gb),
                    source_unique_id: disk.map(|x| x.unique_id).unwrap_or_else(Uuid::nil),
                })
            })
            .collect();
        let snap = VmSnapshot {
            vm_id: vm.vm_id,
            size: vm.size.clone(),
            location: vm.location.clone(),
            os_type: vm.os_type.clone(),
            computer_name: vm.computer_name.clone(),
            admin_username: vm.admin_username.clone(),
            disk_controller: vm.disk_controller.clone(),
            security_type: vm.security_type.clone(),
            hyperv_gen: vm.hyperv_gen.clone(),
            license_type: vm.license_type.clone(),
            user_data: vm.decor.user_data.clone(),
            disks,
        };
        self.snapshots.push(snap);
        let idx = self.snapshots.len() - 1;
        if let Some(vm) = self.vms.get_mut(vm_key) {
            vm.snapshot = Some(idx);
        }
        Some(idx)
    }

    /// Finds `(collection key, point index, disk point index)` for a disk restore point id.
    pub fn find_disk_point(&self, drp_id: &str) -> Option<(String, usize, usize)> {
        let lower = key(drp_id);
        let (point_part, drp_name) = lower.rsplit_once("/diskrestorepoints/")?;
        let (coll_key, point_name) = point_part.rsplit_once("/restorepoints/")?;
        let coll = self.collections.get(coll_key)?;
        let pi = coll
            .points
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(point_name))?;
        let point = &coll.points[pi];
        let snap = self.snapshots.get(point.snapshot)?;
        let di = point.disks.iter().position(|d| {
            snap.disks
                .get(d.disk)
                .is_some_and(|sd| drp_name_of(&sd.name, d.uid).eq_ignore_ascii_case(drp_name))
        })?;
        Some((coll_key.to_owned(), pi, di))
    }
}

/// Name of a disk restore point: `{disk name}_{guid}` as Azure names them.
pub fn drp_name_of(disk_name: &str, uid: Uuid) -> String {
    format!("{disk_name}_{uid}")
}
