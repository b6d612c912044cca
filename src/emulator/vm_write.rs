//! VM PUT (create or full update) and PATCH (partial update): sizes, tags, data disks
//! attached, created empty, copied or restored from a disk restore point, and the
//! in-place OS disk swap. Every accepted change is a long-running operation during which
//! the VM is `Updating` (and restore points are refused).

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::errors::{ArmError, ArmResult};
use super::lro;
use super::render;
use super::routes::disks::restore_source;
use super::routes::{norm_location, parse_tags, str_at};
use super::server::{Ctx, Reply, Req};
use super::state::{Disk, Effect, Tags, Vm, VmDecor, VmDisk, key};

fn rg_id(sub: &str, rg: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}")
}

fn vm_key(sub: &str, rg: &str, name: &str) -> String {
    super::routes::vms::vm_key(sub, rg, name)
}

fn bad(msg: impl Into<String>, target: &str) -> ArmError {
    ArmError::bad_request("InvalidParameter", msg).with_target(target)
}

/// `If-Match` / `If-None-Match` against the VM's etag.
fn preconditions(headers: &HeaderMap, existing: Option<&Vm>) -> ArmResult<()> {
    let failed = |m: &str| {
        ArmError::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            m.to_owned(),
        )
    };
    if let Some(v) = headers.get("if-none-match").and_then(|v| v.to_str().ok())
        && v.trim() == "*"
        && existing.is_some()
    {
        return Err(failed(
            "The virtual machine already exists (If-None-Match: *).",
        ));
    }
    if let Some(v) = headers.get("if-match").and_then(|v| v.to_str().ok()) {
        let want = v.trim();
        match existing {
            None if want != "*" => {
                return Err(failed("The virtual machine does not exist (If-Match)."));
            }
            Some(vm) if want != "*" && want.trim_matches('"') != vm.etag.to_string() => {
                return Err(failed(
                    "The etag in If-Match does not match the virtual machine's current etag.",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn put(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    super::routes::require_scope(ctx, sub, Some(rg))?;
    let body = req.json()?;
    let k = vm_key(sub, rg, name);
    preconditions(&req.headers, ctx.estate.vms.get(&k))?;
    if ctx.estate.vms.contains_key(&k) {
        return update(ctx, &body, sub, rg, name, true);
    }
    create(ctx, &body, sub, rg, name)
}

pub fn patch(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    super::routes::require_scope(ctx, sub, Some(rg))?;
    let body = req.json()?;
    let k = vm_key(sub, rg, name);
    if !ctx.estate.vms.contains_key(&k) {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/virtualMachines",
            name,
            rg,
        ));
    }
    preconditions(&req.headers, ctx.estate.vms.get(&k))?;
    update(ctx, &body, sub, rg, name, false)
}

struct NewDisk {
    slot: VmDisk,
    /// A disk resource to create with the VM (`Empty`, `Copy`, `Restore`, `FromImage`).
    create: Option<Disk>,
}

#[allow(clippy::too_many_arguments)]
fn new_disk_resource(
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
    }
}

/// An existing disk that may be attached to `vm_id`.
fn attachable<'a>(ctx: &'a Ctx<'_>, id: &str, vm_id: &str, target: &str) -> ArmResult<&'a Disk> {
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
fn data_disk(
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
            let sku = req_sku.unwrap_or(info.sku);
            let size = size.unwrap_or(info.size_gb).max(info.size_gb);
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

fn nics_of(ctx: &Ctx<'_>, body: &Value, vm_id: &str) -> ArmResult<Option<Vec<String>>> {
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

fn create(ctx: &mut Ctx<'_>, body: &Value, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    super::routes::resources::valid_name(name)?;
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
            let did = str_at(os, &["managedDisk", "id"]).ok_or_else(|| {
                bad(
                    "osDisk.managedDisk.id is required to attach an OS disk.",
                    "storageProfile.osDisk.managedDisk.id",
                )
            })?;
            let d = attachable(ctx, did, &id, "storageProfile.osDisk.managedDisk.id")?;
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

/// Marks every disk and NIC of `vm` as owned by it.
fn attach_all(ctx: &mut Ctx<'_>, vm: &Vm) {
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

fn detach(ctx: &mut Ctx<'_>, disk_id: &str, vm_id: &str) {
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

fn update(
    ctx: &mut Ctx<'_>,
    body: &Value,
    sub: &str,
    rg: &str,
    name: &str,
    full: bool,
) -> ArmResult<Reply> {
    let k = vm_key(sub, rg, name);
    let vm = ctx.estate.vms.get(&k).cloned().ok_or_else(|| {
        ArmError::resource_not_found("Microsoft.Compute/virtualMachines", name, rg)
    })?;
    if vm.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Virtual machine '{name}' is being deleted."),
        ));
    }
    let creating_point = super::rules::collections_of(ctx.estate, &vm.id)
        .flat_map(|c| c.points.iter())
        .any(|p| p.copy.is_none() && p.provisioning == "Creating");
    if creating_point {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Changes cannot be made to Virtual Machine '{name}' while the operation 'Create Restore Point' is in progress."
            ),
        ));
    }
    if let Some(l) = str_at(body, &["location"]).map(norm_location)
        && l != vm.location
    {
        return Err(ArmError::bad_request(
            "PropertyChangeNotAllowed",
            "Changing property 'location' is not allowed.",
        ));
    }
    let mut next = vm.clone();
    if let Some(t) = parse_tags(body)? {
        next.tags = t;
    } else if full {
        next.tags = Tags::new();
    }
    if let Some(s) = str_at(body, &["properties", "hardwareProfile", "vmSize"]) {
        next.size = s.to_owned();
    }
    if let Some(u) = body
        .pointer("/properties/additionalCapabilities/ultraSSDEnabled")
        .and_then(Value::as_bool)
    {
        next.ultra_ssd_enabled = u;
    }
    let mut new_disks = Vec::new();
    let mut detached: Vec<String> = Vec::new();
    // OS disk swap: a different managed disk id for the OS disk.
    if let Some(os) = body.pointer("/properties/storageProfile/osDisk")
        && let Some(new_id) = str_at(os, &["managedDisk", "id"])
        && !vm
            .os_disk
            .disk_id
            .as_deref()
            .is_some_and(|cur| cur.eq_ignore_ascii_case(new_id))
    {
        let d = attachable(ctx, new_id, &vm.id, "storageProfile.osDisk.managedDisk.id")?;
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
        if vm.os_disk.ephemeral_placement.is_some() {
            return Err(ArmError::bad_request(
                "OperationNotAllowed",
                "The OS disk of a VM with an ephemeral OS disk cannot be swapped.",
            ));
        }
        if let Some(old) = &vm.os_disk.disk_id {
            detached.push(old.clone());
        }
        next.os_disk = VmDisk {
            lun: None,
            name: str_at(os, &["name"]).unwrap_or(&d.name).to_owned(),
            disk_id: Some(d.id.clone()),
            storage_type: d.sku.clone(),
            caching: str_at(os, &["caching"])
                .unwrap_or(&vm.os_disk.caching)
                .to_owned(),
            write_accelerator: false,
            size_gb: d.size_gb,
            create_option: "Attach".into(),
            ephemeral_placement: None,
            vhd_uri: None,
            source_resource: None,
            delete_option: vm.os_disk.delete_option.clone(),
        };
    }
    if let Some(list) = body.pointer("/properties/storageProfile/dataDisks") {
        let list = list
            .as_array()
            .ok_or_else(|| bad("dataDisks must be an array.", "storageProfile.dataDisks"))?;
        let mut data = Vec::new();
        for v in list {
            let lun = v.get("lun").and_then(Value::as_i64);
            if v.get("toBeDetached").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            // A disk already at this lun stays as it is.
            if let Some(cur) = vm
                .data_disks
                .iter()
                .find(|d| Some(d.lun) == Some(lun) && lun.is_some())
            {
                let same = str_at(v, &["managedDisk", "id"]).is_none_or(|id| {
                    cur.disk_id
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(id))
                });
                if same {
                    let mut keep = cur.clone();
                    if let Some(c) = str_at(v, &["caching"]) {
                        keep.caching = c.to_owned();
                    }
                    if let Some(w) = v.get("writeAcceleratorEnabled").and_then(Value::as_bool) {
                        keep.write_accelerator = w;
                    }
                    data.push(keep);
                    continue;
                }
            }
            let nd = data_disk(
                ctx,
                v,
                sub,
                rg,
                name,
                &vm.id,
                &vm.location,
                &vm.zones,
                next.ultra_ssd_enabled,
            )?;
            if data.iter().any(|d: &VmDisk| d.lun == nd.slot.lun) {
                return Err(bad("Two data disks use the same lun.", "dataDisks.lun"));
            }
            if let Some(d) = nd.create {
                new_disks.push(d);
            }
            data.push(nd.slot);
        }
        for old in &vm.data_disks {
            let kept = data
                .iter()
                .any(|d| d.disk_id.is_some() && d.disk_id == old.disk_id);
            if !kept && let Some(id) = &old.disk_id {
                detached.push(id.clone());
            }
        }
        next.data_disks = data;
    }
    if let Some(nics) = nics_of(ctx, body, &vm.id)? {
        next.nics = nics;
    }
    for d in new_disks {
        ctx.estate.disks.insert(key(&d.id), d);
    }
    for id in &detached {
        detach(ctx, id, &vm.id);
    }
    next.etag += 1;
    next.snapshot = None;
    next.provisioning = "Updating".into();
    next.busy_until = ctx.now + 30.0;
    attach_all(ctx, &next);
    let loc = next.location.clone();
    ctx.estate.vms.insert(k.clone(), next);
    let op = lro::start(
        ctx,
        sub,
        &loc,
        30.0,
        Effect::VmReady { vm: k.clone() },
        None,
    );
    let vm = ctx
        .estate
        .vms
        .get(&k)
        .ok_or_else(|| ArmError::internal("vm vanished"))?;
    let reply = Reply::ok(render::vm(ctx.estate, vm, false, false, ctx.now));
    Ok(lro::headers(ctx, reply, op))
}
