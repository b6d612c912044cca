//! A synthetic fleet of 10,000 VMs with ten daily points each (one to five disks per VM,
//! four regions, 50 resource groups), as the cost and lifecycle benchmarks load it.
#![allow(dead_code)]

use rpdesk::inventory::Inventory;
use rpdesk::model::{RestorePointCollection, Timestamp, VirtualMachine};
use serde_json::{Value, json};

use super::Lcg;

pub const VMS: usize = 10_000;
pub const POINTS_PER_VM: i64 = 10;
pub const SUB: &str = "00000000-0000-0000-0000-0000000000c1";
pub const NOW: i64 = 1_768_046_400; // 2026-01-10T12:00:00Z

/// The fleet, fed to an inventory as the backend's events would.
pub fn inventory() -> Result<Inventory, serde_json::Error> {
    const SKUS: &[&str] = &[
        "Premium_LRS",
        "StandardSSD_LRS",
        "PremiumV2_LRS",
        "Premium_ZRS",
    ];
    const SIZES: &[f64] = &[64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0];
    const REGIONS: &[&str] = &["eastus", "westus2", "westeurope", "northeurope"];
    let mut rng = Lcg(7);
    let mut vms: Vec<VirtualMachine> = Vec::with_capacity(VMS);
    let mut collections: Vec<RestorePointCollection> = Vec::with_capacity(VMS);
    for i in 0..VMS {
        let rg = format!("rg{}", i % 50);
        let name = format!("vm{i:05}");
        let prefix =
            format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute");
        let vm_id = format!("{prefix}/virtualMachines/{name}");
        let region = REGIONS[rng.next(REGIONS.len() as u64) as usize];
        let disks: Vec<(String, f64, &str, Option<usize>)> = (0..1 + rng.next(5) as usize)
            .map(|d| {
                let sku = SKUS[rng.next(SKUS.len() as u64) as usize];
                let size = SIZES[rng.next(SIZES.len() as u64) as usize];
                let lun = (d > 0).then(|| d - 1);
                (format!("{prefix}/disks/{name}-d{d}"), size, sku, lun)
            })
            .collect();
        let managed = |(id, size, sku, lun): &(String, f64, &str, Option<usize>)| {
            let mut v = json!({ "name": id.rsplit('/').next(), "diskSizeGB": size,
                "managedDisk": { "id": id, "storageAccountType": sku } });
            if let Some(l) = lun {
                v["lun"] = json!(l);
            }
            v
        };
        let data: Vec<Value> = disks[1..].iter().map(managed).collect();
        vms.push(serde_json::from_value(json!({
            "id": vm_id, "name": name, "location": region,
            "properties": { "storageProfile": { "osDisk": managed(&disks[0]), "dataDisks": data } } }))?);
        let rpc_id = format!("{prefix}/restorePointCollections/{name}-rpc");
        let points: Vec<Value> = (0..POINTS_PER_VM)
            .map(|p| {
                let t = NOW - 86_400 * (POINTS_PER_VM - p) + rng.next(3_600) as i64;
                let captured: Vec<Value> = disks
                    .iter()
                    .enumerate()
                    .map(|(d, disk)| {
                        let mut v = managed(disk);
                        v["diskRestorePoint"] = json!({ "id": format!("{rpc_id}/restorePoints/rp{p}/diskRestorePoints/d{d}") });
                        v
                    })
                    .collect();
                json!({ "id": format!("{rpc_id}/restorePoints/rp{p}"), "name": format!("rp{p}"),
                    "properties": { "consistencyMode": "ApplicationConsistent",
                        "timeCreated": Timestamp::from_unix_secs(t).to_rfc3339(),
                        "sourceMetadata": { "storageProfile": { "osDisk": captured[0], "dataDisks": captured[1..] } } } })
            })
            .collect();
        collections.push(serde_json::from_value(json!({ "id": rpc_id, "name": format!("{name}-rpc"),
            "location": region, "properties": { "source": { "id": vm_id }, "restorePoints": points } }))?);
    }
    Ok(super::inventory(SUB, vms, Vec::new(), &collections))
}
