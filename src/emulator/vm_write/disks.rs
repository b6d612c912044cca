//! Disks a VM write brings along: existing disks to attach, new ones to create empty,
//! copied or restored, and the ownership bookkeeping (`managedBy`) when they attach.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{bad, rg_id};
use crate::emulator::background_copy::hydration_for;
use crate::emulator::disk_rules::{attachable_to, host_caching, zone_required};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::restore_rules::restore_source;
use crate::emulator::routes::str_at;
use crate::emulator::server::Ctx;
use crate::emulator::state::{Disk, Tags, Vm, VmDisk, key};

pub(super) struct NewDisk {
    pub slot: VmDisk,
    /// A disk resource to create with the VM (`Empty`, `Copy`, `Restore`, `FromImage`).
    pub create: Option<Disk>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn new_disk_resource(
    ctx: &Ctx<'_>,
    sub: &str,
    rg: &str,
    name: &str,
    location: &str,
    sku: &str,
    size: i64,
    os: Option<&str>,
    option: &str,
    source: Option<String>,
    zones: &[String],
) -> Disk {
    Disk {
        id: format!(
            "{}/providers/Microsoft.Compute/disks/{name}",
            rg_id(sub, rg)
        ),
        name: name.to_owned(),
        location: location.to_owned(),
        tags: Tags::new(),
        zones: zones.to_vec(),
        sku: sku.to_owned(),
        size_gb: size,
        os_type: os.map(str::to_owned),
        hyperv_gen: os.map(|_| "V2".to_owned()),
        create_option: option.to_owned(),
        source_resource_id: source,
        source_unique_id: None,
        image_reference_id: None,
        managed_by: None,
        managed_by_extended: Vec::new(),
        max_shares: None,
        encryption_type: "EncryptionAtRestWithPlatformKey".into(),
        disk_encryption_set: None,
        security_type: None,
        unique_id: Uuid::new_v4(),
        time_created: ctx.now,
        provisioning: "Succeeded".into(),
        iops: None,
        mbps: None,
        network_access_policy: "AllowAll".into(),
        public_network_access: "Enabled".into(),
        sas_until: None,
        hydration: None,
    }
}

/// An existing disk that may be attached to `vm_id`.
pub(super) fn attachable<'a>(
    ctx: &'a Ctx<'_>,
    id: &str,
    vm_id: &str,
    target: &str,
) -> ArmResult<&'a Disk> {
    let d = ctx.estate.disks.get(&key(id)).ok_or_else(|| {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("Disk '{id}' was not found."),
        )
        .with_target(target)
    })?;
    let shared = d.max_shares.is_some_and(|s| s > 1);
    if let Some(m) = &d.managed_by
        && !m.eq_ignore_ascii_case(vm_id)
        && !shared
    {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Disk '{}' is already attached to VM '{m}'.", d.name),
        ));
    }
    if d.provisioning != "Succeeded" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Disk '{}' is '{}' and cannot be attached yet.",
                d.name, d.provisioning
            ),
        ));
    }
    Ok(d)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn data_disk(
    ctx: &Ctx<'_>,
    v: &Value,
    sub: &str,
    rg: &str,
    vm_name: &str,
    vm_id: &str,
    location: &str,
    zones: &[String],
    ultra_enabled: bool,
) -> ArmResult<NewDisk> {
    let lun = v
        .get("lun")
        .and_then(Value::as_i64)
        .filter(|l| (0..=63).contains(l))
        .ok_or_else(|| {
            bad(
                "Each data disk needs a lun between 0 and 63.",
                "dataDisks.lun",
            )
        })?;
    let option = str_at(v, &["createOption"]).ok_or_else(|| {
        bad(
            "Required parameter 'createOption' is missing (null).",
            "dataDisks.createOption",
        )
    })?;
    let caching = str_at(v, &["caching"]).unwrap_or("None").to_owned();
    let wa = v
        .get("writeAcceleratorEnabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let req_sku = str_at(v, &["managedDisk", "storageAccountType"]).map(str::to_owned);
    let size = v.get("diskSizeGB").and_then(Value::as_i64);
    let delete_option = str_at(v, &["deleteOption"]).unwrap_or("Detach").to_owned();
    let default_name = format!("{vm_name}_DataDisk_{lun}");
    let dname = str_at(v, &["name"]).unwrap_or(&default_name).to_owned();
    let source = str_at(v, &["sourceResource", "id"]).map(str::to_owned);
    let (slot_name, disk_id, sku, size_gb, create, created_option) = match option
        .to_ascii_lowercase()
        .as_str()
    {
        "attach" => {
            let id = str_at(v, &["managedDisk", "id"]).ok_or_else(|| {
                bad(
                    "managedDisk.id is required to attach a data disk.",
                    "dataDisks.managedDisk.id",
                )
            })?;
            let d = attachable(ctx, id, vm_id, "dataDisks.managedDisk.id")?;
            attachable_to(zones, d, ctx.now, "dataDisks.managedDisk.id")?;
            (
                d.name.clone(),
                d.id.clone(),
                d.sku.clone(),
                d.size_gb,
                None,
                "Attach",
            )
        }
        "empty" => {
            let size = size.filter(|s| (1..=65_536).contains(s)).ok_or_else(|| {
                bad(
                    "diskSizeGB is required for an empty data disk.",
                    "dataDisks.diskSizeGB",
                )
            })?;
            let sku = req_sku.unwrap_or_else(|| "Premium_LRS".into());
            let d = new_disk_resource(
                ctx, sub, rg, &dname, location, &sku, size, None, "Empty", None, zones,
            );
            (dname.clone(), d.id.clone(), sku, size, Some(d), "Empty")
        }
        "restore" => {
            let src = source.clone().ok_or_else(|| {
                bad(
                    "sourceResource.id is required for createOption Restore.",
                    "dataDisks.sourceResource.id",
                )
            })?;
            let info = restore_source(ctx, &src, location)?;
            let sku = req_sku.unwrap_or_else(|| info.sku.clone());
            let size = info.target_size(&sku, size, "dataDisks.managedDisk.storageAccountType")?;
            let mut d = new_disk_resource(
                ctx,
                sub,
                rg,
                &dname,
                location,
                &sku,
                size,
                None,
                "Restore",
                Some(src),
                zones,
            );
            d.source_unique_id = Some(info.unique);
            // Made for this VM, the disk hydrates from now on (the VM is placed with it,
            // so the rule about attaching hydrating disks to VMs that are not zonal does
            // not apply to it).
            d.hydration = hydration_for(&sku, size, ctx.now);
            (dname.clone(), d.id.clone(), sku, size, Some(d), "Restore")
        }
        "copy" => {
            let src = source.clone().ok_or_else(|| {
                bad(
                    "sourceResource.id is required for createOption Copy.",
                    "dataDisks.sourceResource.id",
                )
            })?;
            let s = ctx.estate.disks.get(&key(&src)).ok_or_else(|| {
                ArmError::new(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    format!("Source resource '{src}' was not found."),
                )
            })?;
            let sku = req_sku.unwrap_or_else(|| s.sku.clone());
            let size = size.unwrap_or(s.size_gb).max(s.size_gb);
            let mut d = new_disk_resource(
                ctx,
                sub,
                rg,
                &dname,
                location,
                &sku,
                size,
                None,
                "Copy",
                Some(src),
                zones,
            );
            d.source_unique_id = Some(s.unique_id.to_string());
            (dname.clone(), d.id.clone(), sku, size, Some(d), "Copy")
        }
        other => {
            return Err(bad(
                format!(
                    "createOption '{}' is not supported for data disks; use Attach, Empty, Copy or Restore.",
                    other.chars().take(40).collect::<String>()
                ),
                "dataDisks.createOption",
            ));
        }
    };
    if create.is_some() {
        zone_required(&sku, location, zones)?;
    }
    host_caching(&sku, &caching, "dataDisks.caching")?;
    if sku == "UltraSSD_LRS" && !ultra_enabled {
        return Err(bad(
            "UltraSSD_LRS disks can only be attached when additionalCapabilities.ultraSSDEnabled is true.",
            "additionalCapabilities.ultraSSDEnabled",
        ));
    }
    Ok(NewDisk {
        slot: VmDisk {
            lun: Some(lun),
            name: slot_name,
            disk_id: Some(disk_id),
            storage_type: sku,
            caching,
            write_accelerator: wa,
            size_gb,
            create_option: created_option.into(),
            ephemeral_placement: None,
            vhd_uri: None,
            source_resource: source,
            delete_option,
        },
        create,
    })
}

/// Marks every disk and NIC of `vm` as owned by it.
pub(super) fn attach_all(ctx: &mut Ctx<'_>, vm: &Vm) {
    for slot in vm.all_disks() {
        let Some(id) = &slot.disk_id else { continue };
        if let Some(d) = ctx.estate.disks.get_mut(&key(id)) {
            if d.max_shares.is_some_and(|s| s > 1) {
                if !d
                    .managed_by_extended
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&vm.id))
                {
                    d.managed_by_extended.push(vm.id.clone());
                }
            } else {
                d.managed_by = Some(vm.id.clone());
            }
        }
    }
    for n in &vm.nics {
        if let Some(nic) = ctx.estate.nics.get_mut(&key(n)) {
            nic["properties"]["virtualMachine"] = json!({ "id": vm.id });
        }
    }
}

pub(super) fn detach(ctx: &mut Ctx<'_>, disk_id: &str, vm_id: &str) {
    if let Some(d) = ctx.estate.disks.get_mut(&key(disk_id)) {
        if d.managed_by
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case(vm_id))
        {
            d.managed_by = None;
        }
        d.managed_by_extended
            .retain(|m| !m.eq_ignore_ascii_case(vm_id));
    }
}
