//! Rendering of emulator records to ARM JSON, with the property names and nesting of
//! Microsoft's examples (`arm-examples/`). Values that depend on time (provisioning
//! state, copy progress, snapshot access) are computed from the virtual `now`.

use serde_json::{Map, Value, json};

use super::clock::arm_time;
use super::state::{
    Collection, Disk, DiskPoint, Estate, Operation, Point, ResourceGroup, Subscription, Vm, VmDisk,
    drp_name_of, key,
};

/// Regions where Instant Access is offered (concepts-restore-points.md).
pub const INSTANT_ACCESS_REGIONS: &[&str] = &[
    "westcentralus",
    "westus",
    "northcentralus",
    "westus2",
    "southcentralus",
];

pub fn is_direct_drive(sku: &str) -> bool {
    sku.eq_ignore_ascii_case("UltraSSD_LRS") || sku.eq_ignore_ascii_case("PremiumV2_LRS")
}

fn tags_json(tags: &super::state::Tags) -> Value {
    json!(tags)
}

fn status(code: &str, display: &str, time: Option<f64>) -> Value {
    let mut v = json!({ "code": code, "level": "Info", "displayStatus": display });
    if let Some(t) = time {
        v["time"] = json!(arm_time(t));
    }
    v
}

pub fn subscription(s: &Subscription) -> Value {
    json!({
        "id": format!("/subscriptions/{}", s.subscription_id),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": tags_json(&s.tags),
        "subscriptionId": s.subscription_id,
        "tenantId": s.tenant_id,
        "displayName": s.display_name,
        "state": s.state,
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        }
    })
}

pub fn group(g: &ResourceGroup) -> Value {
    let mut v = json!({
        "id": g.id, "name": g.name, "type": "Microsoft.Resources/resourceGroups",
        "location": g.location, "tags": tags_json(&g.tags),
        "properties": { "provisioningState": "Succeeded" }
    });
    if let Some(m) = &g.managed_by {
        v["managedBy"] = json!(m);
    }
    v
}

fn vm_disk(d: &VmDisk, os_type: Option<&str>) -> Value {
    let mut v = Map::new();
    if let Some(lun) = d.lun {
        v.insert("lun".into(), json!(lun));
    }
    if let Some(os) = os_type {
        v.insert("osType".into(), json!(os));
    }
    v.insert("name".into(), json!(d.name));
    v.insert("createOption".into(), json!(d.create_option));
    if let Some(src) = &d.source_resource {
        v.insert("sourceResource".into(), json!({ "id": src }));
    }
    v.insert("caching".into(), json!(d.caching));
    v.insert("writeAcceleratorEnabled".into(), json!(d.write_accelerator));
    if let Some(p) = &d.ephemeral_placement {
        v.insert(
            "diffDiskSettings".into(),
            json!({ "option": "Local", "placement": p }),
        );
    }
    if let Some(uri) = &d.vhd_uri {
        v.insert("vhd".into(), json!({ "uri": uri }));
    } else {
        let mut md = json!({ "storageAccountType": d.storage_type });
        if let Some(id) = &d.disk_id {
            md["id"] = json!(id);
        }
        v.insert("managedDisk".into(), md);
    }
    v.insert("diskSizeGB".into(), json!(d.size_gb));
    v.insert("deleteOption".into(), json!(d.delete_option));
    if d.lun.is_some() {
        v.insert("toBeDetached".into(), json!(false));
    }
    Value::Object(v)
}

fn os_config(os_type: &str) -> (&'static str, Value) {
    if os_type.eq_ignore_ascii_case("Linux") {
        (
            "linuxConfiguration",
            json!({ "disablePasswordAuthentication": true, "provisionVMAgent": true }),
        )
    } else {
        (
            "windowsConfiguration",
            json!({ "provisionVMAgent": true, "enableAutomaticUpdates": true }),
        )
    }
}

pub fn vm(e: &Estate, vm: &Vm, instance_view: bool, user_data: bool, now: f64) -> Value {
    let mut storage = Map::new();
    if let Some([publisher, offer, sku, version]) = &vm.image {
        storage.insert(
            "imageReference".into(),
            json!({ "publisher": publisher, "offer": offer, "sku": sku, "version": version }),
        );
    }
    let mut os_disk = vm_disk(&vm.os_disk, Some(&vm.os_type));
    if let Some(st) = &vm.security_type
        && st.eq_ignore_ascii_case("ConfidentialVM")
        && let Some(md) = os_disk.get_mut("managedDisk")
    {
        md["securityProfile"] = json!({ "securityEncryptionType": "DiskWithVMGuestState" });
    }
    for (slot, d) in std::iter::once((&mut os_disk, &vm.os_disk)) {
        if let Some(des) = d
            .disk_id
            .as_ref()
            .and_then(|id| e.disks.get(&key(id)))
            .and_then(|x| x.disk_encryption_set.clone())
            && let Some(md) = slot.get_mut("managedDisk")
        {
            md["diskEncryptionSet"] = json!({ "id": des });
        }
    }
    storage.insert("osDisk".into(), os_disk);
    let data: Vec<Value> = vm
        .data_disks
        .iter()
        .map(|d| {
            let mut v = vm_disk(d, None);
            if let Some(des) = d
                .disk_id
                .as_ref()
                .and_then(|id| e.disks.get(&key(id)))
                .and_then(|x| x.disk_encryption_set.clone())
                && let Some(md) = v.get_mut("managedDisk")
            {
                md["diskEncryptionSet"] = json!({ "id": des });
            }
            v
        })
        .collect();
    storage.insert("dataDisks".into(), json!(data));
    if let Some(c) = &vm.disk_controller {
        storage.insert("diskControllerType".into(), json!(c));
    }
    let (os_key, os_cfg) = os_config(&vm.os_type);
    let mut props = Map::new();
    props.insert("vmId".into(), json!(vm.vm_id));
    if let Some(a) = &vm.availability_set {
        props.insert("availabilitySet".into(), json!({ "id": a }));
    }
    if let Some(p) = &vm.ppg {
        props.insert("proximityPlacementGroup".into(), json!({ "id": p }));
    }
    if let Some((ss, _)) = &vm.vmss {
        props.insert("virtualMachineScaleSet".into(), json!({ "id": ss }));
    }
    props.insert("hardwareProfile".into(), json!({ "vmSize": vm.size }));
    props.insert("storageProfile".into(), Value::Object(storage));
    if vm.ultra_ssd_enabled {
        props.insert(
            "additionalCapabilities".into(),
            json!({ "ultraSSDEnabled": true, "hibernationEnabled": false }),
        );
    }
    if let Some(app) = &vm.decor.application_profile {
        props.insert("applicationProfile".into(), app.clone());
    }
    if user_data && let Some(u) = &vm.decor.user_data {
        props.insert("userData".into(), json!(u));
    }
    props.insert(
        "osProfile".into(),
        json!({
            "computerName": vm.computer_name, "adminUsername": vm.admin_username,
            os_key: os_cfg, "secrets": [], "allowExtensionOperations": true,
            "requireGuestProvisionSignal": true
        }),
    );
    if let Some(st) = &vm.security_type {
        props.insert(
            "securityProfile".into(),
            json!({ "uefiSettings": { "secureBootEnabled": true, "vTpmEnabled": true },
                    "securityType": st, "encryptionAtHost": vm.encryption_at_host }),
        );
    } else if vm.encryption_at_host {
        props.insert(
            "securityProfile".into(),
            json!({ "encryptionAtHost": true }),
        );
    }
    let nics: Vec<Value> = vm
        .nics
        .iter()
        .enumerate()
        .map(|(i, n)| json!({ "id": n, "properties": { "primary": i == 0 } }))
        .collect();
    props.insert(
        "networkProfile".into(),
        json!({ "networkInterfaces": nics }),
    );
    let mut boot = json!({ "enabled": true });
    if let Some(u) = &vm.decor.boot_diagnostics_uri {
        boot["storageUri"] = json!(u);
    }
    props.insert(
        "diagnosticsProfile".into(),
        json!({ "bootDiagnostics": boot }),
    );
    if let Some(l) = &vm.license_type {
        props.insert("licenseType".into(), json!(l));
    }
    props.insert("extensionsTimeBudget".into(), json!("PT1H30M"));
    props.insert("provisioningState".into(), json!(vm.provisioning));
    props.insert("timeCreated".into(), json!(arm_time(vm.time_created)));
    if instance_view {
        props.insert("instanceView".into(), vm_instance_view(vm, now));
    }
    let mut v = Map::new();
    v.insert("name".into(), json!(vm.name));
    v.insert("id".into(), json!(vm.id));
    v.insert("type".into(), json!("Microsoft.Compute/virtualMachines"));
    v.insert("location".into(), json!(vm.location));
    v.insert("tags".into(), tags_json(&vm.tags));
    v.insert("etag".into(), json!(format!("\"{}\"", vm.etag)));
    if !vm.zones.is_empty() {
        v.insert("zones".into(), json!(vm.zones));
    }
    v.insert("properties".into(), Value::Object(props));
    if !vm.decor.extensions.is_empty() {
        let res: Vec<Value> = vm
            .decor
            .extensions
            .iter()
            .map(|x| extension_json(vm, x))
            .collect();
        v.insert("resources".into(), json!(res));
    }
    if let Some((ss, true)) = &vm.vmss {
        v.insert("managedBy".into(), json!(ss));
    }
    Value::Object(v)
}

fn extension_type(name: &str) -> (&'static str, &'static str, &'static str) {
    if name.contains("Snapshot") {
        ("Microsoft.Azure.RecoveryServices", "VMSnapshot", "1.0")
    } else if name.contains("Monitor") {
        ("Microsoft.Azure.Monitor", "AzureMonitorAgent", "1.22")
    } else {
        ("Microsoft.Compute", "CustomScriptExtension", "1.9")
    }
}

fn extension_json(vm: &Vm, name: &str) -> Value {
    let (publisher, ty, ver) = extension_type(name);
    json!({
        "name": name, "id": format!("{}/extensions/{name}", vm.id),
        "type": "Microsoft.Compute/virtualMachines/extensions", "location": vm.location,
        "tags": { "displayName": name },
        "properties": { "autoUpgradeMinorVersion": true, "provisioningState": "Succeeded",
            "publisher": publisher, "type": ty, "typeHandlerVersion": ver, "settings": {} }
    })
}

fn power_display(power: &str) -> String {
    match power {
        "running" => "VM running".into(),
        "deallocated" => "VM deallocated".into(),
        "stopped" => "VM stopped".into(),
        "starting" => "VM starting".into(),
        "deallocating" => "VM deallocating".into(),
        "stopping" => "VM stopping".into(),
        other => format!("VM {other}"),
    }
}

pub fn vm_instance_view(vm: &Vm, now: f64) -> Value {
    let created = vm.time_created;
    let disks: Vec<Value> = vm
        .all_disks()
        .map(|d| json!({ "name": d.name, "statuses": [status("ProvisioningState/succeeded", "Provisioning succeeded", Some(created))] }))
        .collect();
    let exts: Vec<Value> = vm
        .decor
        .extensions
        .iter()
        .map(|x| {
            let (publisher, ty, ver) = extension_type(x);
            json!({ "name": x, "type": format!("{publisher}.{ty}"), "typeHandlerVersion": ver,
                    "statuses": [{ "code": "ProvisioningState/succeeded", "level": "Info",
                                   "displayStatus": "Provisioning succeeded", "message": "Enable succeeded" }] })
        })
        .collect();
    let handlers: Vec<Value> = vm
        .decor
        .extensions
        .iter()
        .map(|x| {
            let (publisher, ty, ver) = extension_type(x);
            json!({ "type": format!("{publisher}.{ty}"), "typeHandlerVersion": ver,
                    "status": { "code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready" } })
        })
        .collect();
    let running = vm.power == "running";
    let agent_status = if running {
        json!({ "code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready",
                "message": "GuestAgent is running and accepting new configurations.", "time": arm_time(now) })
    } else {
        json!({ "code": "ProvisioningState/Unavailable", "level": "Warning", "displayStatus": "Not Ready",
                "message": "VM status blob is found but not yet populated.", "time": arm_time(now) })
    };
    let stamp = arm_time(now - 3600.0);
    let short = vm
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>();
    json!({
        "platformUpdateDomain": 0,
        "platformFaultDomain": 0,
        "computerName": vm.computer_name,
        "osName": vm.os_name,
        "osVersion": if vm.os_type == "Linux" { "6.8.0-1017-azure" } else { "Microsoft Windows NT 10.0.20348.0" },
        "vmAgent": { "vmAgentVersion": "2.7.41491.1102", "statuses": [agent_status], "extensionHandlers": handlers },
        "disks": disks,
        "bootDiagnostics": {
            "consoleScreenshotBlobUri": format!("https://bootdiag{short}.blob.core.windows.net/bootdiagnostics/{}.screenshot.bmp", vm.name),
            "serialConsoleLogBlobUri": format!("https://bootdiag{short}.blob.core.windows.net/bootdiagnostics/{}.serialconsole.log", vm.name)
        },
        "extensions": exts,
        "hyperVGeneration": vm.hyperv_gen,
        "patchStatus": {
            "availablePatchSummary": { "status": "Succeeded", "assessmentActivityId": vm.vm_id,
                "rebootPending": false, "criticalAndSecurityPatchCount": 0, "otherPatchCount": 2,
                "startTime": stamp, "lastModifiedTime": stamp, "error": null },
            "lastPatchInstallationSummary": { "status": "Succeeded", "installationActivityId": vm.vm_id,
                "maintenanceWindowExceeded": false, "notSelectedPatchCount": 0, "excludedPatchCount": 0,
                "pendingPatchCount": 0, "installedPatchCount": 3, "failedPatchCount": 0,
                "startTime": stamp, "lastModifiedTime": stamp, "error": null },
            "configurationStatuses": [
                { "code": "PatchModeConfigurationState/Ready", "level": "Info",
                  "displayStatus": "Status_PatchModeConfigurationState_Ready", "time": stamp }
            ]
        },
        "isVMInStandbyPool": false,
        "statuses": [
            status(&format!("ProvisioningState/{}", vm.provisioning.to_ascii_lowercase()), &format!("Provisioning {}", vm.provisioning.to_ascii_lowercase()), Some(created)),
            { "code": format!("PowerState/{}", vm.power), "level": "Info", "displayStatus": power_display(&vm.power) }
        ]
    })
}

pub fn disk_state(e: &Estate, d: &Disk, now: f64) -> &'static str {
    if d.sas_until.is_some_and(|t| t > now) {
        return "ActiveSAS";
    }
    match d.managed_by.as_ref().and_then(|m| e.vms.get(&key(m))) {
        Some(vm) if vm.power == "deallocated" => "Reserved",
        Some(_) => "Attached",
        None if !d.managed_by_extended.is_empty() => "Attached",
        None => "Unattached",
    }
}

fn disk_tier(sku: &str, size: i64) -> Option<String> {
    let prefix = match sku {
        "Premium_LRS" | "Premium_ZRS" => "P",
        "StandardSSD_LRS" | "StandardSSD_ZRS" => "E",
        _ => return None,
    };
    let sizes = [
        4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767,
    ];
    let idx = sizes
        .iter()
        .position(|&s| size <= s)
        .unwrap_or(sizes.len() - 1);
    let n = [1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80][idx];
    Some(format!("{prefix}{n}"))
}

pub fn disk(e: &Estate, d: &Disk, now: f64) -> Value {
    let mut creation = json!({ "createOption": d.create_option });
    if let Some(s) = &d.source_resource_id {
        creation["sourceResourceId"] = json!(s);
    }
    if let Some(s) = &d.source_unique_id {
        creation["sourceUniqueId"] = json!(s);
    }
    if let Some(i) = &d.image_reference_id {
        creation["imageReference"] = json!({ "id": i });
    }
    let mut props = Map::new();
    if let Some(os) = &d.os_type {
        props.insert("osType".into(), json!(os));
    }
    if let Some(h) = &d.hyperv_gen {
        props.insert("hyperVGeneration".into(), json!(h));
    }
    props.insert(
        "supportedCapabilities".into(),
        json!({ "architecture": "x64" }),
    );
    props.insert("creationData".into(), creation);
    props.insert("diskSizeGB".into(), json!(d.size_gb));
    props.insert(
        "diskSizeBytes".into(),
        json!(d.size_gb * 1024 * 1024 * 1024),
    );
    props.insert("uniqueId".into(), json!(d.unique_id));
    let mut enc = json!({ "type": d.encryption_type });
    if let Some(des) = &d.disk_encryption_set {
        enc["diskEncryptionSetId"] = json!(des);
    }
    props.insert("encryption".into(), enc);
    if let Some(i) = d.iops {
        props.insert("diskIOPSReadWrite".into(), json!(i));
    }
    if let Some(m) = d.mbps {
        props.insert("diskMBpsReadWrite".into(), json!(m));
    }
    if let Some(s) = d.max_shares {
        props.insert("maxShares".into(), json!(s));
        if !d.managed_by_extended.is_empty() {
            let share: Vec<Value> = d
                .managed_by_extended
                .iter()
                .map(|v| json!({ "vmUri": v }))
                .collect();
            props.insert("shareInfo".into(), json!(share));
        }
    }
    if let Some(st) = &d.security_type {
        props.insert("securityProfile".into(), json!({ "securityType": st }));
    }
    props.insert("networkAccessPolicy".into(), json!(d.network_access_policy));
    props.insert("publicNetworkAccess".into(), json!(d.public_network_access));
    if let Some(t) = disk_tier(&d.sku, d.size_gb) {
        props.insert("tier".into(), json!(t));
    }
    props.insert("diskState".into(), json!(disk_state(e, d, now)));
    props.insert("timeCreated".into(), json!(arm_time(d.time_created)));
    props.insert("provisioningState".into(), json!(d.provisioning));
    if d.managed_by.is_some() {
        props.insert(
            "LastOwnershipUpdateTime".into(),
            json!(arm_time(d.time_created)),
        );
    }
    let mut v = Map::new();
    if let Some(m) = &d.managed_by {
        v.insert("managedBy".into(), json!(m));
    }
    if !d.managed_by_extended.is_empty() {
        v.insert("managedByExtended".into(), json!(d.managed_by_extended));
    }
    let tier = if d.sku.starts_with("Premium") {
        "Premium"
    } else if d.sku.starts_with("Ultra") {
        "Ultra"
    } else {
        "Standard"
    };
    v.insert("sku".into(), json!({ "name": d.sku, "tier": tier }));
    if !d.zones.is_empty() {
        v.insert("zones".into(), json!(d.zones));
    }
    v.insert("properties".into(), Value::Object(props));
    v.insert("type".into(), json!("Microsoft.Compute/disks"));
    v.insert("location".into(), json!(d.location));
    v.insert("tags".into(), tags_json(&d.tags));
    v.insert("id".into(), json!(d.id));
    v.insert("name".into(), json!(d.name));
    Value::Object(v)
}

pub fn collection(e: &Estate, c: &Collection, expand_points: bool, now: f64) -> Value {
    let mut props = json!({
        "source": { "id": c.source_id, "location": c.source_location },
        "instantAccess": c.instant_access,
        "restorePointCollectionId": c.uuid,
        "provisioningState": c.provisioning
    });
    if expand_points {
        let points: Vec<Value> = c
            .points
            .iter()
            .map(|p| point(e, c, p, false, now))
            .collect();
        props["restorePoints"] = json!(points);
    }
    json!({
        "name": c.name, "id": c.id, "type": "Microsoft.Compute/restorePointCollections",
        "location": c.location, "tags": tags_json(&c.tags), "properties": props
    })
}

pub fn point_id(c: &Collection, p: &Point) -> String {
    format!("{}/restorePoints/{}", c.id, p.name)
}

pub fn drp_id(e: &Estate, c: &Collection, p: &Point, dp: &DiskPoint) -> String {
    let name = e
        .snapshots
        .get(p.snapshot)
        .and_then(|s| s.disks.get(dp.disk))
        .map(|d| drp_name_of(&d.name, dp.uid))
        .unwrap_or_else(|| dp.uid.to_string());
    format!("{}/diskRestorePoints/{name}", point_id(c, p))
}

/// Copy progress of a cross-region copy, 0–100.
pub fn copy_percent(p: &Point, now: f64) -> f64 {
    match &p.copy {
        Some(c) if p.provisioning != "Succeeded" => {
            if c.duration <= 0.0 {
                100.0
            } else {
                (((now - c.started) / c.duration) * 100.0)
                    .clamp(0.0, 100.0)
                    .floor()
            }
        }
        _ => 100.0,
    }
}

/// `snapshotAccessState` of one disk restore point.
pub fn access_state(
    e: &Estate,
    c: &Collection,
    p: &Point,
    dp: &DiskPoint,
    now: f64,
) -> &'static str {
    if p.provisioning != "Succeeded" {
        return if p.provisioning == "Failed" {
            "Unknown"
        } else {
            "Pending"
        };
    }
    let disk = e
        .snapshots
        .get(p.snapshot)
        .and_then(|s| s.disks.get(dp.disk));
    let direct_data_disk =
        disk.is_some_and(|d| d.lun.is_some() && is_direct_drive(&d.storage_type));
    if c.instant_access && direct_data_disk && p.consistency == "ApplicationConsistent" {
        let minutes = p.instant_access_minutes.unwrap_or(300) as f64;
        if now < p.ready_at + minutes * 60.0 {
            return "AvailableWithInstantAccess";
        }
    }
    "Available"
}

pub fn point(e: &Estate, c: &Collection, p: &Point, instance_view: bool, now: f64) -> Value {
    let pid = point_id(c, p);
    let snap = e.snapshots.get(p.snapshot);
    let mut os_disk = Value::Null;
    let mut data = Vec::new();
    if let Some(s) = snap {
        for dp in &p.disks {
            let Some(d) = s.disks.get(dp.disk) else {
                continue;
            };
            let mut drp = json!({ "id": drp_id(e, c, p, dp) });
            let enc_type = if p.copy.is_some() {
                "EncryptionAtRestWithPlatformKey"
            } else {
                d.encryption_type.as_str()
            };
            let mut enc = json!({ "type": enc_type });
            if p.copy.is_none()
                && let Some(des) = &d.disk_encryption_set
            {
                enc["diskEncryptionSet"] = json!({ "id": des });
            }
            drp["encryption"] = enc;
            if let Some(src) = &dp.source_drp {
                drp["sourceDiskRestorePoint"] = json!({ "id": src });
            }
            let mut v = Map::new();
            if let Some(l) = d.lun {
                v.insert("lun".into(), json!(l));
            } else {
                v.insert("osType".into(), json!(s.os_type));
            }
            v.insert("name".into(), json!(d.name));
            v.insert("caching".into(), json!(d.caching));
            v.insert("diskSizeGB".into(), json!(d.size_gb));
            v.insert("writeAcceleratorEnabled".into(), json!(d.write_accelerator));
            v.insert(
                "managedDisk".into(),
                json!({ "storageAccountType": d.storage_type, "id": d.disk_id }),
            );
            v.insert("diskRestorePoint".into(), drp);
            if d.lun.is_none() {
                os_disk = Value::Object(v);
            } else {
                data.push(Value::Object(v));
            }
        }
    }
    let mut metadata = Map::new();
    if let Some(s) = snap {
        metadata.insert("vmId".into(), json!(s.vm_id));
        metadata.insert("hardwareProfile".into(), json!({ "vmSize": s.size }));
        let mut storage = Map::new();
        if !os_disk.is_null() {
            storage.insert("osDisk".into(), os_disk);
        }
        storage.insert("dataDisks".into(), json!(data));
        if let Some(dc) = &s.disk_controller {
            storage.insert("diskControllerType".into(), json!(dc));
        }
        metadata.insert("storageProfile".into(), Value::Object(storage));
        let (os_key, os_cfg) = os_config(&s.os_type);
        metadata.insert(
            "osProfile".into(),
            json!({ "computerName": s.computer_name, "adminUsername": s.admin_username,
                    os_key: os_cfg, "secrets": [], "allowExtensionOperations": true,
                    "requireGuestProvisionSignal": true }),
        );
        metadata.insert(
            "diagnosticsProfile".into(),
            json!({ "bootDiagnostics": { "enabled": true } }),
        );
        if let Some(st) = &s.security_type {
            metadata.insert(
                "securityProfile".into(),
                json!({ "uefiSettings": { "secureBootEnabled": true, "vTpmEnabled": true }, "securityType": st }),
            );
        }
        metadata.insert("hyperVGeneration".into(), json!(s.hyperv_gen));
        if let Some(l) = &s.license_type {
            metadata.insert("licenseType".into(), json!(l));
        }
        metadata.insert("location".into(), json!(s.location));
        if let Some(u) = &s.user_data {
            metadata.insert("userData".into(), json!(u));
        }
    }
    let excl: Vec<Value> = p.exclude.iter().map(|id| json!({ "id": id })).collect();
    let mut props = Map::new();
    props.insert("excludeDisks".into(), json!(excl));
    if let Some(cp) = &p.copy {
        props.insert(
            "sourceRestorePoint".into(),
            json!({ "id": cp.source_point_id }),
        );
    }
    props.insert("sourceMetadata".into(), Value::Object(metadata));
    if let Some(m) = p.instant_access_minutes {
        props.insert("instantAccessDurationMinutes".into(), json!(m));
    }
    props.insert("provisioningState".into(), json!(p.provisioning));
    props.insert("consistencyMode".into(), json!(p.consistency));
    props.insert("timeCreated".into(), json!(arm_time(p.created)));
    if instance_view {
        let pct = copy_percent(p, now);
        let (code, display) = if p.provisioning == "Failed" {
            ("ReplicationState/failed", "Failed")
        } else if pct >= 100.0 && p.provisioning == "Succeeded" {
            ("ReplicationState/succeeded", "Succeeded")
        } else {
            ("ReplicationState/inProgress", "In progress")
        };
        let drps: Vec<Value> = p
            .disks
            .iter()
            .map(|dp| {
                json!({
                    "id": drp_id(e, c, p, dp),
                    "replicationStatus": { "status": { "code": code, "level": "Info", "displayStatus": display }, "completionPercent": pct },
                    "snapshotAccessState": access_state(e, c, p, dp, now)
                })
            })
            .collect();
        let mut statuses = vec![json!({ "code": code, "level": "Info", "displayStatus": display })];
        if let Some(f) = &p.failure {
            statuses.push(
                json!({ "code": format!("ProvisioningState/failed/{}", f.code), "level": "Error",
                                  "displayStatus": "Provisioning failed", "message": f.message }),
            );
        }
        props.insert(
            "instanceView".into(),
            json!({ "diskRestorePoints": drps, "statuses": statuses }),
        );
    }
    json!({
        "name": p.name, "id": pid, "type": "Microsoft.Compute/restorePointCollections/restorePoints",
        "properties": Value::Object(props)
    })
}

pub fn disk_point(e: &Estate, c: &Collection, p: &Point, dp: &DiskPoint, now: f64) -> Value {
    let snap = e.snapshots.get(p.snapshot);
    let d = snap.and_then(|s| s.disks.get(dp.disk));
    let mut props = Map::new();
    props.insert("timeCreated".into(), json!(arm_time(p.created)));
    if let Some(d) = d {
        props.insert("sourceResourceId".into(), json!(d.disk_id));
        if d.lun.is_none()
            && let Some(s) = snap
        {
            props.insert("osType".into(), json!(s.os_type));
        }
    }
    if let Some(s) = snap {
        props.insert("hyperVGeneration".into(), json!(s.hyperv_gen));
        props.insert(
            "supportedCapabilities".into(),
            json!({ "architecture": "x64", "diskControllerTypes": s.disk_controller.clone().unwrap_or_else(|| "SCSI".into()) }),
        );
        if let Some(st) = &s.security_type {
            props.insert("securityProfile".into(), json!({ "securityType": st }));
        }
    }
    props.insert("familyId".into(), json!(dp.family_id));
    if let Some(d) = d {
        props.insert("sourceUniqueId".into(), json!(d.source_unique_id));
        let enc = if p.copy.is_some() {
            "EncryptionAtRestWithPlatformKey"
        } else {
            d.encryption_type.as_str()
        };
        let mut ev = json!({ "type": enc });
        if p.copy.is_none()
            && let Some(des) = &d.disk_encryption_set
        {
            ev["diskEncryptionSetId"] = json!(des);
        }
        props.insert("encryption".into(), ev);
    }
    props.insert("networkAccessPolicy".into(), json!("AllowAll"));
    props.insert("publicNetworkAccess".into(), json!("Disabled"));
    if let Some(cp) = &p.copy {
        let pct = copy_percent(p, now);
        let state = if p.provisioning == "Failed" {
            "Failed"
        } else if pct >= 100.0 {
            "Succeeded"
        } else {
            "InProgress"
        };
        props.insert("replicationState".into(), json!(state));
        props.insert("completionPercent".into(), json!(pct));
        props.insert("sourceResourceLocation".into(), json!(cp.source_location));
    }
    let sector = if d.is_some_and(|d| is_direct_drive(&d.storage_type)) {
        4096
    } else {
        512
    };
    props.insert("logicalSectorSize".into(), json!(sector));
    props.insert(
        "snapshotAccessState".into(),
        json!(access_state(e, c, p, dp, now)),
    );
    let id = drp_id(e, c, p, dp);
    let name = id.rsplit('/').next().unwrap_or_default().to_owned();
    json!({
        "id": id, "name": name,
        "type": "Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints",
        "properties": Value::Object(props)
    })
}

pub fn operation(op: &Operation, now: f64) -> Value {
    let done = now >= op.done_at;
    let mut v = json!({
        "startTime": arm_time(op.started),
        "status": if !done { "InProgress" } else if op.failure.is_some() { "Failed" } else { "Succeeded" },
        "name": op.id,
    });
    if done {
        v["endTime"] = json!(arm_time(op.done_at));
        if let Some(f) = &op.failure {
            v["error"] = f.detail_json();
        }
        if let Some(r) = &op.result {
            v["properties"] = json!({ "output": r });
        }
    } else {
        let span = (op.done_at - op.started).max(0.001);
        v["percentComplete"] = json!(
            (((now - op.started) / span) * 100.0)
                .clamp(0.0, 99.0)
                .floor()
        );
    }
    v
}
