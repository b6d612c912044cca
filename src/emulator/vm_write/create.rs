//! VM creation (PUT of a VM that does not exist yet).

use axum::http::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use super::disks::{attach_all, attachable, data_disk, new_disk_resource};
use super::{bad, rg_id};
use crate::emulator::disk_rules::{attachable_to, os_disk_sku, security_matches};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::routes::{norm_location, parse_tags, str_at};
use crate::emulator::server::{Ctx, Reply};
use crate::emulator::state::{Disk, Effect, Vm, VmDecor, VmDisk, key};

pub(super) fn nics_of(ctx: &Ctx<'_>, body: &Value, vm_id: &str) -> ArmResult<Option<Vec<String>>> {
    let Some(list) = body.pointer("/properties/networkProfile/networkInterfaces") else {
        return Ok(None);
    };
    let list = list.as_array().ok_or_else(|| {
        bad(
            "networkInterfaces must be an array.",
            "networkProfile.networkInterfaces",
        )
    })?;
    let mut out = Vec::new();
    for n in list {
        let id = str_at(n, &["id"]).ok_or_else(|| {
            bad(
                "Each network interface needs an id.",
                "networkProfile.networkInterfaces.id",
            )
        })?;
        let nic = ctx.estate.nics.get(&key(id)).ok_or_else(|| {
            ArmError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("Network interface '{id}' was not found."),
            )
        })?;
        if let Some(other) = nic
            .pointer("/properties/virtualMachine/id")
            .and_then(Value::as_str)
            && !other.eq_ignore_ascii_case(vm_id)
            && ctx.estate.vms.contains_key(&key(other))
        {
            return Err(ArmError::bad_request(
                "NicInUse",
                format!("Network interface '{id}' is used by virtual machine '{other}'."),
            ));
        }
        out.push(
            nic.get("id")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_owned(),
        );
    }
    if out.is_empty() {
        return Err(bad(
            "At least one network interface is required.",
            "networkProfile.networkInterfaces",
        ));
    }
    Ok(Some(out))
}

pub(super) fn create(
    ctx: &mut Ctx<'_>,
    body: &Value,
    sub: &str,
    rg: &str,
    name: &str,
) -> ArmResult<Reply> {
    crate::emulator::routes::resources::valid_name(name)?;
    let location = str_at(body, &["location"])
        .map(norm_location)
        .ok_or_else(|| {
            ArmError::bad_request(
                "LocationRequired",
                "The location property is required for this definition.",
            )
        })?;
    let size = str_at(body, &["properties", "hardwareProfile", "vmSize"])
        .ok_or_else(|| {
            bad(
                "Required parameter 'hardwareProfile.vmSize' is missing (null).",
                "hardwareProfile.vmSize",
            )
        })?
        .to_owned();
    let id = format!(
        "{}/providers/Microsoft.Compute/virtualMachines/{name}",
        rg_id(sub, rg)
    );
    let zones: Vec<String> = body
        .get("zones")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|z| z.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let ultra = body
        .pointer("/properties/additionalCapabilities/ultraSSDEnabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let os = body
        .pointer("/properties/storageProfile/osDisk")
        .ok_or_else(|| {
            bad(
                "Required parameter 'osDisk' is missing (null).",
                "storageProfile.osDisk",
            )
        })?;
    let os_option = str_at(os, &["createOption"]).ok_or_else(|| {
        bad(
            "Required parameter 'osDisk.createOption' is missing (null).",
            "storageProfile.osDisk.createOption",
        )
    })?;
    let image = body.pointer("/properties/storageProfile/imageReference");
    let mut new_disks: Vec<Disk> = Vec::new();
    let (os_slot, os_type) = match os_option.to_ascii_lowercase().as_str() {
        "fromimage" => {
            let image = image.ok_or_else(|| {
                bad(
                    "imageReference is required when osDisk.createOption is FromImage.",
                    "storageProfile.imageReference",
                )
            })?;
            let publisher = str_at(image, &["publisher"]).unwrap_or_default();
            let os_type = str_at(os, &["osType"])
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    if publisher.to_ascii_lowercase().contains("windows") {
                        "Windows".into()
                    } else {
                        "Linux".into()
                    }
                });
            let default = format!("{name}_OsDisk_1_{}", Uuid::new_v4().simple());
            let dname = str_at(os, &["name"]).unwrap_or(&default).to_owned();
            let caching = str_at(os, &["caching"]).unwrap_or("ReadWrite").to_owned();
            let size = os
                .get("diskSizeGB")
                .and_then(Value::as_i64)
                .unwrap_or(if os_type == "Windows" { 127 } else { 30 });
            if str_at(os, &["diffDiskSettings", "option"])
                .is_some_and(|o| o.eq_ignore_ascii_case("Local"))
            {
                let placement = str_at(os, &["diffDiskSettings", "placement"])
                    .unwrap_or("CacheDisk")
                    .to_owned();
                (
                    VmDisk {
                        lun: None,
                        name: dname,
                        disk_id: None,
                        storage_type: "Standard_LRS".into(),
                        caching: "ReadOnly".into(),
                        write_accelerator: false,
                        size_gb: size,
                        create_option: "FromImage".into(),
                        ephemeral_placement: Some(placement),
                        vhd_uri: None,
                        source_resource: None,
                        delete_option: "Delete".into(),
                    },
                    os_type,
                )
            } else {
                let sku = str_at(os, &["managedDisk", "storageAccountType"])
                    .unwrap_or("Premium_LRS")
                    .to_owned();
                os_disk_sku(&sku)?;
                let d = new_disk_resource(
                    ctx,
                    sub,
                    rg,
                    &dname,
                    &location,
                    &sku,
                    size,
                    Some(&os_type),
                    "FromImage",
                    None,
                    &zones,
                );
                let slot = VmDisk {
                    lun: None,
                    name: dname,
                    disk_id: Some(d.id.clone()),
                    storage_type: sku,
                    caching,
                    write_accelerator: false,
                    size_gb: size,
                    create_option: "FromImage".into(),
                    ephemeral_placement: None,
                    vhd_uri: None,
                    source_resource: None,
                    delete_option: str_at(os, &["deleteOption"]).unwrap_or("Delete").to_owned(),
                };
                new_disks.push(d);
                (slot, os_type)
            }
        }
        "attach" => {
            // An attached OS disk is specialized: it brings its own OS configuration
            // and image, so the VM may not name either (the two errors users of
            // Terraform and New-AzVM hit, word for word).
            if body
                .pointer("/properties/osProfile")
                .is_some_and(|v| !v.is_null())
            {
                return Err(bad("Parameter 'osProfile' is not allowed.", "osProfile"));
            }
            if image.is_some_and(|v| !v.is_null()) {
                return Err(bad(
                    "Cannot attach an existing OS disk if the VM is created from a platform, user or a shared gallery image.",
                    "osDisk",
                ));
            }
            let did = str_at(os, &["managedDisk", "id"]).ok_or_else(|| {
                bad(
                    "osDisk.managedDisk.id is required to attach an OS disk.",
                    "storageProfile.osDisk.managedDisk.id",
                )
            })?;
            let d = attachable(ctx, did, &id, "storageProfile.osDisk.managedDisk.id")?;
            os_disk_sku(&d.sku)?;
            security_matches(
                str_at(body, &["properties", "securityProfile", "securityType"]),
                d,
            )?;
            attachable_to(&zones, d, ctx.now, "storageProfile.osDisk.managedDisk.id")?;
            let os_type = str_at(os, &["osType"])
                .map(str::to_owned)
                .or_else(|| d.os_type.clone())
                .ok_or_else(|| {
                    bad(
                        "osDisk.osType is required: the disk has no OS type.",
                        "storageProfile.osDisk.osType",
                    )
                })?;
            (
                VmDisk {
                    lun: None,
                    name: d.name.clone(),
                    disk_id: Some(d.id.clone()),
                    storage_type: d.sku.clone(),
                    caching: str_at(os, &["caching"]).unwrap_or("ReadWrite").to_owned(),
                    write_accelerator: false,
                    size_gb: d.size_gb,
                    create_option: "Attach".into(),
                    ephemeral_placement: None,
                    vhd_uri: None,
                    source_resource: None,
                    delete_option: str_at(os, &["deleteOption"]).unwrap_or("Detach").to_owned(),
                },
                os_type,
            )
        }
        other => {
            return Err(bad(
                format!(
                    "osDisk.createOption '{}' is not supported; use FromImage or Attach.",
                    other.chars().take(40).collect::<String>()
                ),
                "storageProfile.osDisk.createOption",
            ));
        }
    };
    let mut data = Vec::new();
    if let Some(list) = body.pointer("/properties/storageProfile/dataDisks") {
        let list = list
            .as_array()
            .ok_or_else(|| bad("dataDisks must be an array.", "storageProfile.dataDisks"))?;
        for v in list {
            let nd = data_disk(ctx, v, sub, rg, name, &id, &location, &zones, ultra)?;
            if data.iter().any(|d: &VmDisk| d.lun == nd.slot.lun) {
                return Err(bad("Two data disks use the same lun.", "dataDisks.lun"));
            }
            if let Some(d) = nd.create {
                new_disks.push(d);
            }
            data.push(nd.slot);
        }
    }
    let nics = nics_of(ctx, body, &id)?.ok_or_else(|| {
        bad(
            "Required parameter 'networkProfile' is missing (null).",
            "networkProfile",
        )
    })?;
    let security =
        str_at(body, &["properties", "securityProfile", "securityType"]).map(str::to_owned);
    let image_ref = image.map(|i| {
        [
            str_at(i, &["publisher"]).unwrap_or_default().to_owned(),
            str_at(i, &["offer"]).unwrap_or_default().to_owned(),
            str_at(i, &["sku"]).unwrap_or_default().to_owned(),
            str_at(i, &["version"]).unwrap_or("latest").to_owned(),
        ]
    });
    let vm = Vm {
        id: id.clone(),
        name: name.to_owned(),
        location: location.clone(),
        tags: parse_tags(body)?.unwrap_or_default(),
        zones,
        vm_id: Uuid::new_v4(),
        size,
        os_name: if os_type == "Windows" {
            "Windows Server 2022 Datacenter".into()
        } else {
            "ubuntu 22.04".into()
        },
        os_type,
        os_version: None,
        agent_version: None,
        image: image_ref,
        computer_name: str_at(body, &["properties", "osProfile", "computerName"])
            .unwrap_or(name)
            .chars()
            .take(15)
            .collect(),
        admin_username: str_at(body, &["properties", "osProfile", "adminUsername"])
            .unwrap_or("azureadmin")
            .to_owned(),
        os_disk: os_slot,
        data_disks: data,
        nics,
        power: "running".into(),
        provisioning: "Creating".into(),
        security_type: security,
        vmss: str_at(body, &["properties", "virtualMachineScaleSet", "id"])
            .map(|s| (s.to_owned(), false)),
        availability_set: str_at(body, &["properties", "availabilitySet", "id"]).map(str::to_owned),
        ppg: str_at(body, &["properties", "proximityPlacementGroup", "id"]).map(str::to_owned),
        disk_controller: str_at(
            body,
            &["properties", "storageProfile", "diskControllerType"],
        )
        .map(str::to_owned),
        ultra_ssd_enabled: ultra,
        hyperv_gen: "V2".into(),
        license_type: str_at(body, &["properties", "licenseType"]).map(str::to_owned),
        encryption_at_host: body
            .pointer("/properties/securityProfile/encryptionAtHost")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        time_created: ctx.now,
        etag: 1,
        busy_until: ctx.now + 60.0,
        decor: VmDecor {
            user_data: str_at(body, &["properties", "userData"]).map(str::to_owned),
            ..Default::default()
        },
        snapshot: None,
    };
    for d in new_disks {
        ctx.estate.disks.insert(key(&d.id), d);
    }
    attach_all(ctx, &vm);
    let k = key(&id);
    let loc = vm.location.clone();
    ctx.estate.vms.insert(k.clone(), vm);
    let op = lro::start(
        ctx,
        sub,
        &loc,
        60.0,
        Effect::VmReady { vm: k.clone() },
        None,
    );
    let vm = ctx
        .estate
        .vms
        .get(&k)
        .ok_or_else(|| ArmError::internal("vm vanished"))?;
    let reply = Reply::with(
        StatusCode::CREATED,
        render::vm(ctx.estate, vm, false, false, ctx.now),
    );
    Ok(lro::headers(ctx, reply, op))
}
