//! Managed disks.

use serde_json::{Map, Value, json};

use super::tags_json;
use crate::emulator::background_copy::disk_percent;
use crate::emulator::clock::arm_time;
use crate::emulator::state::{Disk, Estate, key};

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
    if let Some(pct) = disk_percent(d, now) {
        props.insert("completionPercent".into(), json!(pct));
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
