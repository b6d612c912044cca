//! VMs and their instance view.

use serde_json::{Map, Value, json};

use super::{status, tags_json};
use crate::emulator::clock::arm_time;
use crate::emulator::state::{Estate, Vm, VmDisk, key};

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

pub(crate) fn os_config(os_type: &str) -> (&'static str, Value) {
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

/// `managedDisk.diskEncryptionSet` for disks encrypted with a customer-managed key.
fn add_encryption_set(e: &Estate, rendered: &mut Value, slot: &VmDisk) {
    let des = slot
        .disk_id
        .as_ref()
        .and_then(|id| e.disks.get(&key(id)))
        .and_then(|x| x.disk_encryption_set.clone());
    if let Some(des) = des
        && let Some(md) = rendered.get_mut("managedDisk")
    {
        md["diskEncryptionSet"] = json!({ "id": des });
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
    add_encryption_set(e, &mut os_disk, &vm.os_disk);
    storage.insert("osDisk".into(), os_disk);
    let data: Vec<Value> = vm
        .data_disks
        .iter()
        .map(|d| {
            let mut v = vm_disk(d, None);
            add_encryption_set(e, &mut v, d);
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
    let linux = vm.os_type == "Linux";
    // Linux guests report their release (`22.04`), Windows its NT version.
    let os_version = vm.os_version.clone().unwrap_or_else(|| {
        if linux {
            vm.os_name
                .split_whitespace()
                .rfind(|w| w.starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or("")
                .to_owned()
        } else {
            "Microsoft Windows NT 10.0.20348.0".to_owned()
        }
    });
    let agent_version = vm
        .agent_version
        .clone()
        .unwrap_or_else(|| if linux { "2.9.1.1" } else { "2.7.41491.1102" }.to_owned());
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
        "osVersion": os_version,
        "vmAgent": { "vmAgentVersion": agent_version, "statuses": [agent_status], "extensionHandlers": handlers },
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
