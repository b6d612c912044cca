//! Table-style tests of the planner, the validation, `az`, the journal and undo, on a
//! hand-made point: `app-01` (Linux, zone 1, eastus) with an OS disk and three data disks.

mod journal;
mod plan;
mod validate;

use std::collections::BTreeSet;

use serde_json::json;

use super::facts::{DiskPointFacts, LiveDisk, LiveVm, RestoreFacts, SafetyPoint, SubnetFacts};
use super::{RestoreChoices, Target};
use crate::model::{
    CachingType, ConsistencyMode, ResourceId, RestorePoint, SnapshotAccessState,
    StorageAccountType, VirtualMachine,
};

pub const SUB: &str = "00000000-0000-0000-0000-000000000001";

pub fn id(text: &str) -> ResourceId {
    ResourceId::parse(text).expect("valid id")
}

pub fn rg(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{name}")
}

pub fn disk_id(name: &str) -> ResourceId {
    id(&format!(
        "{}/providers/Microsoft.Compute/disks/{name}",
        rg("rg-app")
    ))
}

pub fn vm_id() -> ResourceId {
    id(&format!(
        "{}/providers/Microsoft.Compute/virtualMachines/app-01",
        rg("rg-app")
    ))
}

pub fn collection_id() -> ResourceId {
    id(&format!(
        "{}/providers/Microsoft.Compute/restorePointCollections/app-01-rpc",
        rg("rg-app")
    ))
}

pub fn drp_id(disk: &str) -> ResourceId {
    collection_id()
        .child("restorePoints", "rp-7")
        .child("diskRestorePoints", &format!("{disk}_1111"))
}

const DISKS: [(&str, Option<i32>, f64, &str); 4] = [
    ("app-01-os", None, 127.0, "ReadWrite"),
    ("app-01-data-0", Some(0), 256.0, "ReadOnly"),
    ("app-01-data-1", Some(1), 512.0, "None"),
    ("app-01-data-2", Some(2), 1024.0, "None"),
];

fn point() -> RestorePoint {
    let data: Vec<_> = DISKS[1..]
        .iter()
        .map(|(name, lun, size, caching)| {
            json!({ "lun": lun, "name": name, "caching": caching, "diskSizeGB": size,
                "managedDisk": { "id": disk_id(name).as_str(), "storageAccountType": "Premium_LRS" },
                "diskRestorePoint": { "id": drp_id(name).as_str() } })
        })
        .collect();
    serde_json::from_value(json!({
        "id": collection_id().child("restorePoints", "rp-7").as_str(),
        "name": "rp-7",
        "properties": {
            "consistencyMode": "ApplicationConsistent",
            "provisioningState": "Succeeded",
            "timeCreated": "2026-11-29T06:00:00+00:00",
            "sourceMetadata": {
                "hardwareProfile": { "vmSize": "Standard_D4s_v5" },
                "securityProfile": { "securityType": "TrustedLaunch", "uefiSettings": { "secureBootEnabled": true, "vTpmEnabled": true } },
                "licenseType": "RHEL_BYOS",
                "location": "eastus",
                "storageProfile": {
                    "osDisk": { "osType": "Linux", "name": "app-01-os", "caching": "ReadWrite", "diskSizeGB": 127,
                        "managedDisk": { "id": disk_id("app-01-os").as_str(), "storageAccountType": "Premium_LRS" },
                        "diskRestorePoint": { "id": drp_id("app-01-os").as_str() } },
                    "dataDisks": data,
                    "diskControllerType": "SCSI"
                }
            }
        }
    }))
    .expect("a point")
}

fn live_vm(running: bool) -> VirtualMachine {
    let data: Vec<_> = DISKS[1..]
        .iter()
        .map(|(name, lun, size, caching)| {
            json!({ "lun": lun, "name": name, "createOption": "Attach", "caching": caching, "diskSizeGB": size,
                "managedDisk": { "id": disk_id(name).as_str() } })
        })
        .collect();
    let power = if running { "running" } else { "deallocated" };
    serde_json::from_value(json!({
        "id": vm_id().as_str(), "name": "app-01", "location": "eastus", "zones": ["1"],
        "tags": { "app": "shop" },
        "identity": { "type": "SystemAssigned", "principalId": "p" },
        "properties": {
            "hardwareProfile": { "vmSize": "Standard_D4s_v5" },
            "storageProfile": {
                "osDisk": { "osType": "Linux", "name": "app-01-os", "createOption": "FromImage", "caching": "ReadWrite", "diskSizeGB": 127,
                    "managedDisk": { "id": disk_id("app-01-os").as_str() }, "deleteOption": "Delete" },
                "dataDisks": data
            },
            "instanceView": { "statuses": [ { "code": format!("PowerState/{power}") } ] }
        }
    }))
    .expect("a VM")
}

fn live_disk(name: &str, size: f64) -> LiveDisk {
    LiveDisk {
        id: disk_id(name),
        sku: Some(StorageAccountType::PremiumLrs),
        size_gb: Some(size),
        zones: vec!["1".into()],
        disk_encryption_set_id: None,
        tags: Default::default(),
    }
}

/// The facts of `rp-7`, every disk ready.
pub fn facts() -> RestoreFacts {
    let disks = DISKS
        .iter()
        .map(|(name, lun, size, caching)| DiskPointFacts {
            id: drp_id(name),
            lun: *lun,
            captured_name: (*name).to_owned(),
            size_gb: Some(*size),
            sku: Some(StorageAccountType::PremiumLrs),
            caching: CachingType::parse(caching),
            write_accelerator: false,
            source_disk_id: Some(disk_id(name)),
            source_disk: Some(live_disk(name, *size)),
            access_state: Some(SnapshotAccessState::Available),
            completion_percent: None,
            logical_sector_size: Some(512),
            encryption_type: Some("EncryptionAtRestWithPlatformKey".into()),
            details_loaded: true,
        })
        .collect();
    let vm = live_vm(true);
    RestoreFacts {
        point: point(),
        collection_id: collection_id(),
        location: "eastus".into(),
        disks,
        source_vm_id: Some(vm_id()),
        live_vm: Some(LiveVm {
            vm,
            os_disk: Some(live_disk("app-01-os", 127.0)),
            data_disks: DISKS[1..]
                .iter()
                .map(|(n, l, s, _)| (l.unwrap_or(0), Some(live_disk(n, *s))))
                .collect(),
            subnet_id: Some(subnet("vnet-app", "default")),
        }),
        vm_missing_reason: None,
        taken_disk_names: DISKS
            .iter()
            .map(|(n, ..)| super::facts::name_key("rg-app", n))
            .collect(),
        taken_vm_names: BTreeSet::from([super::facts::name_key("rg-app", "app-01")]),
        subnets: Some(vec![
            SubnetFacts {
                id: subnet("vnet-app", "default"),
                name: "default".into(),
                vnet: "vnet-app".into(),
                location: "eastus".into(),
            },
            SubnetFacts {
                id: subnet("vnet-eu", "default"),
                name: "default".into(),
                vnet: "vnet-eu".into(),
                location: "westeurope".into(),
            },
        ]),
        resource_groups: vec!["rg-app".into(), "rg-restore".into()],
        safety_point: Ok(SafetyPoint {
            vm_id: vm_id(),
            collection_id: collection_id(),
            create_collection: false,
            location: "eastus".into(),
            point_name: "rp-20261130-0100".into(),
            mode: ConsistencyMode::CrashConsistent,
            exclude_disks: Vec::new(),
        }),
        now_unix: 1_796_000_000,
    }
}

pub fn subnet(vnet: &str, name: &str) -> ResourceId {
    id(&format!(
        "{}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{name}",
        rg("rg-app")
    ))
}

/// Defaults for `target`, with a reason and (for a swap) the typed name.
pub fn choices(facts: &RestoreFacts, target: Target) -> RestoreChoices {
    let mut c = RestoreChoices::defaults(facts, None);
    c.set_target(facts, target);
    c.reason = "INC-4711: bad patch".into();
    c.confirm_name = "app-01".into();
    c
}
