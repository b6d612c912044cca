//! Restore point collections, restore points and disk restore points.

use serde_json::{Map, Value, json};

use super::vm::os_config;
use super::{is_direct_drive, logical_sector_size, tags_json};
use crate::emulator::background_copy::{percent, region_copy_percent, snapshot_copy_percent};
use crate::emulator::clock::arm_time;
use crate::emulator::state::{Collection, DiskPoint, Estate, PLATFORM_KEY, Point, drp_name_of};

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

/// A disk restore point's encryption type and disk encryption set: what the create request
/// set for the disk, else platform-managed keys (the source disk's is not carried; a copy
/// is created with platform-managed keys).
fn encryption(dp: &DiskPoint) -> (&str, Option<&str>) {
    match &dp.encryption {
        Some(e) => (e.kind.as_str(), Some(e.disk_encryption_set.as_str())),
        None => (PLATFORM_KEY, None),
    }
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

/// Virtual seconds until the standard snapshot behind an instant access one is complete.
pub const STANDARD_SNAPSHOT_SECS: f64 = 30.0 * 60.0;

/// Virtual time a copy's progress is read at: now, or when it failed (a failed copy
/// stops where it was; `ready_at` is when its operation ended).
fn copy_clock(p: &Point, now: f64) -> f64 {
    if p.provisioning == "Failed" {
        now.min(p.ready_at)
    } else {
        now
    }
}

/// Copy progress of a cross-region copy, 0–100: its largest disk's, which ends last.
pub fn copy_percent(p: &Point, now: f64) -> f64 {
    match &p.copy {
        Some(c) if p.provisioning != "Succeeded" => {
            percent(c.started, c.duration, copy_clock(p, now)) as f64
        }
        _ => 100.0,
    }
}

/// Copy progress of one disk restore point of a cross-region copy: each disk copies at
/// its own pace (`background_copy::region_copy_percent`).
fn disk_copy_percent(e: &Estate, p: &Point, dp: &DiskPoint, now: f64) -> i64 {
    let Some(c) = p.copy.as_ref().filter(|_| p.provisioning != "Succeeded") else {
        return 100;
    };
    let Some(snap) = e.snapshots.get(p.snapshot) else {
        return copy_percent(p, now) as i64;
    };
    let size = |d: &DiskPoint| snap.disks.get(d.disk).map_or(0, |x| x.size_gb);
    let largest = p.disks.iter().map(size).max().unwrap_or(0);
    region_copy_percent(c, size(dp), largest, copy_clock(p, now))
}

/// `snapshotAccessState` of one disk restore point.
pub fn access_state(e: &Estate, p: &Point, dp: &DiskPoint, now: f64) -> &'static str {
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
    if let Some(minutes) = p.instant_access_minutes.filter(|_| direct_data_disk) {
        let minutes = minutes as f64;
        // The instant snapshot is usable at once; the standard (downloadable, copyable)
        // snapshot behind it takes a while to complete.
        if now < p.ready_at + STANDARD_SNAPSHOT_SECS.min(minutes * 60.0) {
            return "InstantAccess";
        }
        if now < p.ready_at + minutes * 60.0 {
            return "AvailableWithInstantAccess";
        }
    }
    // Premium SSD v2 / Ultra snapshots without instant access cannot be restored from
    // until the background copy into them has completed.
    if disk
        .and_then(|d| snapshot_copy_percent(p, d, now))
        .is_some_and(|pct| pct < 100)
    {
        return "Pending";
    }
    "Available"
}

/// `completionPercent` of one disk restore point: the cross-region copy of its point, or
/// the background copy into its snapshot, whichever is behind; 100 when neither runs.
pub fn drp_percent(e: &Estate, p: &Point, dp: &DiskPoint, now: f64) -> i64 {
    let copied = disk_copy_percent(e, p, dp, now);
    let snapshot = e
        .snapshots
        .get(p.snapshot)
        .and_then(|s| s.disks.get(dp.disk))
        .and_then(|d| snapshot_copy_percent(p, d, now))
        .unwrap_or(100);
    copied.min(snapshot)
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
            let (enc_type, des) = encryption(dp);
            let mut enc = json!({ "type": enc_type });
            if let Some(des) = des {
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
        // A disk whose copy is complete has succeeded, even in a copy that failed on
        // another disk; the point succeeds when every disk has.
        let replication = |pct: f64| {
            let done = p.provisioning == "Succeeded" || p.copy.is_some();
            if pct >= 100.0 && done {
                ("ReplicationState/succeeded", "Succeeded")
            } else if p.provisioning == "Failed" {
                ("ReplicationState/failed", "Failed")
            } else {
                ("ReplicationState/inProgress", "In progress")
            }
        };
        let point_pct = if p.provisioning == "Succeeded" {
            100.0
        } else {
            copy_percent(p, now).min(99.0)
        };
        let (code, display) = replication(point_pct);
        let drps: Vec<Value> = p
            .disks
            .iter()
            .map(|dp| {
                // Each disk restore point reports its own copy: a Premium SSD v2 disk can
                // still be copying while the OS disk of the same point is complete, and a
                // small disk is copied across regions before a large one.
                let pct = drp_percent(e, p, dp, now);
                let (code, display) = replication(pct as f64);
                json!({
                    "id": drp_id(e, c, p, dp),
                    "replicationStatus": { "status": { "code": code, "level": "Info", "displayStatus": display }, "completionPercent": pct },
                    "snapshotAccessState": access_state(e, p, dp, now)
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
        let (enc, des) = encryption(dp);
        let mut ev = json!({ "type": enc });
        if let Some(des) = des {
            ev["diskEncryptionSetId"] = json!(des);
        }
        props.insert("encryption".into(), ev);
    }
    props.insert("networkAccessPolicy".into(), json!("AllowAll"));
    props.insert("publicNetworkAccess".into(), json!("Disabled"));
    if let Some(cp) = &p.copy {
        let pct = disk_copy_percent(e, p, dp, now);
        let state = if pct >= 100 {
            "Succeeded"
        } else if p.provisioning == "Failed" {
            "Failed"
        } else {
            "InProgress"
        };
        props.insert("replicationState".into(), json!(state));
        props.insert("sourceResourceLocation".into(), json!(cp.source_location));
    }
    props.insert(
        "completionPercent".into(),
        json!(drp_percent(e, p, dp, now)),
    );
    let sector = d.map_or(512, |d| logical_sector_size(&d.storage_type));
    props.insert("logicalSectorSize".into(), json!(sector));
    props.insert(
        "snapshotAccessState".into(),
        json!(access_state(e, p, dp, now)),
    );
    let id = drp_id(e, c, p, dp);
    let name = id.rsplit('/').next().unwrap_or_default().to_owned();
    json!({
        "id": id, "name": name,
        "type": "Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints",
        "properties": Value::Object(props)
    })
}
