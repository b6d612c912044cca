//! One `DiskSlot` per disk of the VM: what the VM says about it joined with the managed
//! disk resource, plus whether a rule has excluded it.

use crate::model::{CachingType, Disk, ManagedDiskParameters, StorageAccountType, VirtualMachine};

use super::facts::same_id;

/// A disk of the VM as the rules see it.
#[derive(Clone, Debug)]
pub(super) struct DiskSlot<'a> {
    /// The OS disk (else a data disk).
    pub is_os: bool,
    /// LUN of a data disk.
    pub lun: Option<i32>,
    /// Name to show in reasons.
    pub name: &'a str,
    /// `managedDisk.id`; an ephemeral OS disk may have none.
    pub id: Option<&'a str>,
    /// The managed disk resource, if loaded.
    pub disk: Option<&'a Disk>,
    /// SKU from the disk resource, else from `managedDisk.storageAccountType`.
    pub sku: Option<&'a StorageAccountType>,
    /// Host caching.
    pub caching: Option<&'a CachingType>,
    /// `writeAcceleratorEnabled`.
    pub write_accelerated: bool,
    /// `diffDiskSettings` present: an ephemeral OS disk.
    pub ephemeral: bool,
    /// Has `managedDisk` (or is ephemeral); otherwise an unmanaged VHD disk.
    pub managed: bool,
    /// Encrypted with a customer-managed key (disk encryption set or CMK disk encryption).
    pub customer_key: bool,
    /// A rule has excluded this disk.
    pub excluded: bool,
}

impl DiskSlot<'_> {
    /// "OS disk 'vm1-os'" / "data disk 'logs' (LUN 2)".
    pub fn label(&self) -> String {
        match self.lun {
            Some(lun) if !self.is_os => format!("data disk '{}' (LUN {lun})", self.name),
            _ => format!("OS disk '{}'", self.name),
        }
    }
}

/// The VM's disks: OS disk first, then data disks by LUN.
pub(super) fn disk_slots<'a>(vm: &'a VirtualMachine, disks: &[&'a Disk]) -> Vec<DiskSlot<'a>> {
    let find = |id: Option<&str>| -> Option<&'a Disk> {
        let id = id?;
        disks.iter().copied().find(|d| same_id(d.id.as_str(), id))
    };
    let mut slots = Vec::with_capacity(1 + vm.data_disks().len());
    if let Some(os) = vm.os_disk() {
        let id = os.managed_disk.as_ref().and_then(|m| m.id.as_deref());
        let disk = find(id);
        let ephemeral = os.diff_disk_settings.is_some();
        slots.push(DiskSlot {
            is_os: true,
            lun: None,
            name: display_name(os.name.as_deref(), disk, id, "OS disk"),
            id,
            disk,
            sku: sku(
                disk,
                os.managed_disk
                    .as_ref()
                    .and_then(|m| m.storage_account_type.as_ref()),
            ),
            caching: os.caching.as_ref(),
            write_accelerated: os.write_accelerator_enabled.unwrap_or(false),
            ephemeral,
            managed: os.managed_disk.is_some() || ephemeral,
            customer_key: customer_key(disk, os.managed_disk.as_ref()),
            excluded: false,
        });
    }
    for data in vm.data_disks() {
        let id = data.managed_disk.as_ref().and_then(|m| m.id.as_deref());
        let disk = find(id);
        slots.push(DiskSlot {
            is_os: false,
            lun: Some(data.lun),
            name: display_name(data.name.as_deref(), disk, id, "data disk"),
            id,
            disk,
            sku: sku(
                disk,
                data.managed_disk
                    .as_ref()
                    .and_then(|m| m.storage_account_type.as_ref()),
            ),
            caching: data.caching.as_ref(),
            write_accelerated: data.write_accelerator_enabled.unwrap_or(false),
            ephemeral: false,
            managed: data.managed_disk.is_some(),
            customer_key: customer_key(disk, data.managed_disk.as_ref()),
            excluded: false,
        });
    }
    slots
}

fn sku<'a>(
    disk: Option<&'a Disk>,
    declared: Option<&'a StorageAccountType>,
) -> Option<&'a StorageAccountType> {
    disk.and_then(Disk::storage_type).or(declared)
}

fn display_name<'a>(
    name: Option<&'a str>,
    disk: Option<&'a Disk>,
    id: Option<&'a str>,
    fallback: &'a str,
) -> &'a str {
    name.filter(|n| !n.is_empty())
        .or(disk.map(|d| d.name.as_str()).filter(|n| !n.is_empty()))
        .or(id.and_then(|i| i.trim_end_matches('/').rsplit('/').next()))
        .unwrap_or(fallback)
}

fn customer_key(disk: Option<&Disk>, declared: Option<&ManagedDiskParameters>) -> bool {
    disk.is_some_and(Disk::uses_customer_key)
        || declared.is_some_and(|m| m.disk_encryption_set.is_some())
}
