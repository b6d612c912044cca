//! The in-place OS disk swap: a PUT or PATCH of an existing VM whose
//! `osDisk.managedDisk.id` names another disk. Microsoft's OS disk swap article asks for
//! a replacement disk of the same size, OS type and disk encryption set as the current
//! one; only `managedDisk.id` and `name` may change, so every other `osDisk` property a
//! client sends must keep its current value (sending `createOption: Attach` for a VM
//! built `FromImage` is the `PropertyChangeNotAllowed` users hit).

use serde_json::Value;

use super::disks::attachable;
use crate::emulator::disk_rules::{attachable_to, os_disk_sku};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::routes::str_at;
use crate::emulator::server::Ctx;
use crate::emulator::state::{Disk, Vm, VmDisk, key};

const TARGET: &str = "storageProfile.osDisk.managedDisk.id";

fn change_refused(property: &str) -> ArmError {
    ArmError::conflict(
        "PropertyChangeNotAllowed",
        format!("Changing property 'osDisk.{property}' is not allowed."),
    )
    .with_target(&format!("osDisk.{property}"))
}

fn same_text(sent: &Value, current: &str) -> bool {
    sent.as_str()
        .is_some_and(|s| s.eq_ignore_ascii_case(current))
}

/// Refuses any `osDisk` property in the body, other than `managedDisk.id` and `name`, whose
/// value differs (ignoring case) from the VM's current OS disk; `diskSizeGB` is compared
/// with the replacement disk, which the VM takes as it is.
fn unchanged_properties(vm: &Vm, os: &Value, new: &Disk) -> ArmResult<()> {
    let sent = |name: &str| os.get(name).filter(|v| !v.is_null());
    let current = &vm.os_disk;
    if sent("createOption").is_some_and(|v| !same_text(v, &current.create_option)) {
        return Err(change_refused("createOption"));
    }
    if sent("osType").is_some_and(|v| !same_text(v, &vm.os_type)) {
        return Err(change_refused("osType"));
    }
    if sent("caching").is_some_and(|v| !same_text(v, &current.caching)) {
        return Err(change_refused("caching"));
    }
    if sent("writeAcceleratorEnabled")
        .is_some_and(|v| v.as_bool() != Some(current.write_accelerator))
    {
        return Err(change_refused("writeAcceleratorEnabled"));
    }
    if sent("diskSizeGB").is_some_and(|v| v.as_i64() != Some(new.size_gb)) {
        return Err(change_refused("diskSizeGB"));
    }
    if let Some(diff) = sent("diffDiskSettings") {
        let same = current
            .ephemeral_placement
            .as_deref()
            .is_some_and(|placement| {
                diff.get("option").is_none_or(|o| same_text(o, "Local"))
                    && diff
                        .get("placement")
                        .is_none_or(|p| same_text(p, placement))
            });
        if !same {
            return Err(change_refused("diffDiskSettings"));
        }
    }
    Ok(())
}

fn encryption_set_text(des: Option<&str>) -> String {
    des.map_or_else(
        || "no disk encryption set".to_owned(),
        |d| format!("disk encryption set '{d}'"),
    )
}

/// Validates the swap of `vm`'s OS disk for the disk `new_id` that `os` (the body's
/// `osDisk`) names, and returns the VM's new OS disk slot.
pub(super) fn os_disk_swap(ctx: &Ctx<'_>, vm: &Vm, os: &Value, new_id: &str) -> ArmResult<VmDisk> {
    let d = attachable(ctx, new_id, &vm.id, TARGET)?;
    unchanged_properties(vm, os, d)?;
    if vm.os_disk.ephemeral_placement.is_some() {
        return Err(ArmError::bad_request(
            "OperationNotAllowed",
            "The OS disk of a VM with an ephemeral OS disk cannot be swapped.",
        ));
    }
    match &d.os_type {
        Some(t) if t.eq_ignore_ascii_case(&vm.os_type) => {}
        Some(t) => {
            return Err(ArmError::bad_request(
                "OperationNotAllowed",
                format!(
                    "OS disk swap needs a disk with the same OS type: the VM runs {}, disk '{}' is {t}.",
                    vm.os_type, d.name
                ),
            ));
        }
        None => {
            return Err(ArmError::bad_request(
                "OperationNotAllowed",
                format!(
                    "Disk '{}' has no OS type and cannot be the OS disk.",
                    d.name
                ),
            ));
        }
    }
    let current = vm
        .os_disk
        .disk_id
        .as_deref()
        .and_then(|id| ctx.estate.disks.get(&key(id)));
    let current_size = current.map_or(vm.os_disk.size_gb, |c| c.size_gb);
    if d.size_gb != current_size {
        return Err(ArmError::conflict(
            "ResizeDiskError",
            format!(
                "The replacement OS disk '{}' is {} GB and the current OS disk is {current_size} GB: an OS disk swap needs disks of the same size.",
                d.name, d.size_gb
            ),
        ));
    }
    let current_des = current.and_then(|c| c.disk_encryption_set.as_deref());
    let new_des = d.disk_encryption_set.as_deref();
    let same_des = match (current_des, new_des) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    };
    if !same_des {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            format!(
                "An OS disk swap needs both disks in the same disk encryption set: the current OS disk '{}' uses {} and '{}' uses {}.",
                vm.os_disk.name,
                encryption_set_text(current_des),
                d.name,
                encryption_set_text(new_des)
            ),
        )
        .with_target(TARGET));
    }
    os_disk_sku(&d.sku)?;
    attachable_to(&vm.zones, d, ctx.now, TARGET)?;
    // Only the disk and its name change: Azure keeps the VM's original createOption
    // (e.g. FromImage), caching and write accelerator.
    Ok(VmDisk {
        lun: None,
        name: str_at(os, &["name"]).unwrap_or(&d.name).to_owned(),
        disk_id: Some(d.id.clone()),
        storage_type: d.sku.clone(),
        caching: vm.os_disk.caching.clone(),
        write_accelerator: vm.os_disk.write_accelerator,
        size_gb: d.size_gb,
        create_option: vm.os_disk.create_option.clone(),
        ephemeral_placement: None,
        vhd_uri: None,
        source_resource: None,
        delete_option: str_at(os, &["deleteOption"])
            .unwrap_or(&vm.os_disk.delete_option)
            .to_owned(),
    })
}
