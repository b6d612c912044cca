//! An inventory to test fleet views with: one VM, its collection of N points, and more
//! collections beside it.

use serde_json::json;

use super::{Inventory, InventoryEvent};

pub(crate) const SUB: &str = "00000000-0000-0000-0000-000000000001";

fn id(kind: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/{kind}/{name}")
}

/// One VM in westus2 with `points` points in its collection, and `others` more
/// collections in the same subscription and region.
pub(crate) fn inventory(points: usize, others: usize) -> Inventory {
    let mut inv = Inventory::default();
    let vm = json!({
        "id": id("virtualMachines", "vm1"), "name": "vm1", "location": "westus2",
        "properties": { "hardwareProfile": { "vmSize": "Standard_D4s_v5" },
            "storageProfile": { "osDisk": { "osType": "Linux", "name": "os",
                "managedDisk": { "id": id("disks", "os") } } } } });
    inv.apply(InventoryEvent::Vms {
        subscription_id: SUB.into(),
        result: Ok(serde_json::from_value(vm)
            .into_iter()
            .map(Box::new)
            .collect()),
    });
    let rpc = |name: &str| {
        json!({ "id": id("restorePointCollections", name), "name": name, "location": "westus2",
            "properties": { "source": { "id": id("virtualMachines", "vm1") } } })
    };
    let collections = std::iter::once(rpc("rpc1"))
        .chain((0..others).map(|i| rpc(&format!("other-{i}"))))
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    inv.apply(InventoryEvent::Collections {
        subscription_id: SUB.into(),
        result: Ok(collections),
    });
    let rpc1 = id("restorePointCollections", "rpc1");
    let list: Vec<_> = (0..points)
        .map(|i| {
            json!({ "id": format!("{rpc1}/restorePoints/rp{i}"), "name": format!("rp{i}"),
                "properties": { "consistencyMode": "CrashConsistent",
                    "timeCreated": "2026-01-10T11:30:00Z", "provisioningState": "Succeeded" } })
        })
        .collect();
    let with_points = json!({ "id": rpc1, "name": "rpc1", "location": "westus2",
        "properties": { "source": { "id": id("virtualMachines", "vm1") }, "restorePoints": list } });
    if let Ok(c) = serde_json::from_value::<crate::model::RestorePointCollection>(with_points) {
        inv.apply(InventoryEvent::CollectionPoints {
            collection_id: c.id.clone(),
            result: Ok(Box::new(c)),
        });
    }
    inv
}
