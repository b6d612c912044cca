//! The VM PATCH bodies of a swap, computed from the VM as it is (its GET): the planner
//! computes them from the inventory for the review, the executor again from a fresh GET,
//! with the same functions.
//!
//! Microsoft's OS disk swap articles: change only `managedDisk.id` and `name` of the OS
//! disk and keep the rest as the VM has it (its original `createOption`, say), or Azure
//! answers `PropertyChangeNotAllowed`. Data disks are replaced by rewriting the list:
//! first without the old disks, then with the restored ones at the same LUNs.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::model::{
    ArmCall, AttachedDisk, CachingType, DataDisk, ResourceId, VirtualMachine, api_versions,
};

/// A VM's disks before a swap, to put back on undo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OriginalVm {
    pub vm_id: ResourceId,
    pub was_running: bool,
    pub os_disk_id: Option<ResourceId>,
    pub os_disk_name: Option<String>,
    pub data_disks: Vec<AttachedDisk>,
}

impl OriginalVm {
    /// Reads a VM's disks and power state.
    pub fn of(vm: &VirtualMachine) -> Self {
        let os = vm.os_disk();
        Self {
            vm_id: vm.id.clone(),
            was_running: matches!(
                vm.power_state(),
                Some(crate::model::PowerState::Running | crate::model::PowerState::Starting)
            ),
            os_disk_id: os
                .and_then(|d| d.managed_disk.as_ref()?.id.as_deref())
                .and_then(|id| ResourceId::parse(id).ok()),
            os_disk_name: os.and_then(|d| d.name.clone()),
            data_disks: vm
                .data_disks()
                .into_iter()
                .filter_map(|d| {
                    Some(AttachedDisk {
                        lun: Some(d.lun),
                        disk_id: ResourceId::parse(d.managed_disk.as_ref()?.id.as_deref()?).ok()?,
                        caching: d.caching.clone().unwrap_or(CachingType::None),
                        write_accelerator: d.write_accelerator_enabled.unwrap_or(false),
                    })
                })
                .collect(),
        }
    }
}

/// The managed disk id of a VM data disk.
pub fn data_disk_id(d: &DataDisk) -> Option<ResourceId> {
    ResourceId::parse(d.managed_disk.as_ref()?.id.as_deref()?).ok()
}

/// A data disk entry kept as the VM has it.
fn kept_entry(d: &DataDisk) -> Value {
    let mut e = Map::new();
    e.insert("lun".into(), json!(d.lun));
    if let Some(n) = &d.name {
        e.insert("name".into(), json!(n));
    }
    e.insert(
        "createOption".into(),
        json!(d.create_option.as_ref().map_or("Attach", |c| c.as_str())),
    );
    if let Some(c) = &d.caching {
        e.insert("caching".into(), json!(c.as_str()));
    }
    if let Some(w) = d.write_accelerator_enabled {
        e.insert("writeAcceleratorEnabled".into(), json!(w));
    }
    if let Some(id) = d.managed_disk.as_ref().and_then(|m| m.id.as_deref()) {
        e.insert("managedDisk".into(), json!({ "id": id }));
    }
    if let Some(o) = &d.delete_option {
        e.insert("deleteOption".into(), json!(o));
    }
    Value::Object(e)
}

fn data_disks_patch(vm_id: &ResourceId, entries: Vec<Value>) -> ArmCall {
    ArmCall::patch(
        vm_id.as_str(),
        api_versions::COMPUTE,
        json!({ "properties": { "storageProfile": { "dataDisks": entries } } }),
    )
}

/// Whether any of `disk_ids` is attached to `vm` as a data disk.
pub fn has_any_data_disk(vm: &VirtualMachine, disk_ids: &[ResourceId]) -> bool {
    vm.data_disks()
        .iter()
        .any(|d| data_disk_id(d).is_some_and(|id| disk_ids.contains(&id)))
}

/// The PATCH that detaches `disk_ids` (the list without them); `None` if none is attached.
pub fn detach_call(vm: &VirtualMachine, disk_ids: &[ResourceId]) -> Option<ArmCall> {
    if !has_any_data_disk(vm, disk_ids) {
        return None;
    }
    let kept = vm
        .data_disks()
        .into_iter()
        .filter(|d| !data_disk_id(d).is_some_and(|id| disk_ids.contains(&id)))
        .map(kept_entry)
        .collect();
    Some(data_disks_patch(&vm.id, kept))
}

/// The PATCH that attaches `disks` at their LUNs, keeping every other data disk; `None`
/// if each LUN already holds its disk.
pub fn attach_call(vm: &VirtualMachine, disks: &[AttachedDisk]) -> Option<ArmCall> {
    let current = vm.data_disks();
    let missing: Vec<&AttachedDisk> = disks
        .iter()
        .filter(|want| {
            !current
                .iter()
                .any(|d| Some(d.lun) == want.lun && data_disk_id(d).as_ref() == Some(&want.disk_id))
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut entries: Vec<Value> = current
        .into_iter()
        .filter(|d| !missing.iter().any(|m| m.lun == Some(d.lun)))
        .map(kept_entry)
        .collect();
    entries.extend(missing.into_iter().map(AttachedDisk::data_disk_entry));
    Some(data_disks_patch(&vm.id, entries))
}

/// The PATCH that makes `disk_id` the OS disk, changing only its id and name; `None` if it
/// already is.
pub fn swap_os_call(vm: &VirtualMachine, disk_id: &ResourceId, name: &str) -> Option<ArmCall> {
    let os = vm.os_disk()?;
    let current = os
        .managed_disk
        .as_ref()
        .and_then(|m| m.id.as_deref())
        .and_then(|id| ResourceId::parse(id).ok());
    if current.as_ref() == Some(disk_id) {
        return None;
    }
    let mut e = Map::new();
    if let Some(t) = &os.os_type {
        e.insert("osType".into(), json!(t.as_str()));
    }
    e.insert("name".into(), json!(name));
    if let Some(c) = &os.create_option {
        e.insert("createOption".into(), json!(c.as_str()));
    }
    if let Some(c) = &os.caching {
        e.insert("caching".into(), json!(c.as_str()));
    }
    e.insert("managedDisk".into(), json!({ "id": disk_id.as_str() }));
    if let Some(o) = &os.delete_option {
        e.insert("deleteOption".into(), json!(o));
    }
    Some(ArmCall::patch(
        vm.id.as_str(),
        api_versions::COMPUTE,
        json!({ "properties": { "storageProfile": { "osDisk": Value::Object(e) } } }),
    ))
}

/// The VM as it will be after `detach_call` (for planning the next PATCH before it runs).
pub fn without_data_disks(vm: &VirtualMachine, disk_ids: &[ResourceId]) -> VirtualMachine {
    let mut next = vm.clone();
    if let Some(sp) = next.properties.storage_profile.as_mut() {
        sp.data_disks
            .retain(|d| !data_disk_id(d).is_some_and(|id| disk_ids.contains(&id)));
    }
    next
}

/// `POST {vm}/deallocate` or `/start`.
pub fn power_call(vm_id: &ResourceId, action: &str) -> ArmCall {
    ArmCall::post(format!("{vm_id}/{action}"), api_versions::COMPUTE)
}
