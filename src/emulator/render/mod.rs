//! Rendering of emulator records to ARM JSON, with the property names and nesting of
//! Microsoft's examples (`arm-examples/`). Values that depend on time (provisioning
//! state, copy progress, snapshot access) are computed from the virtual `now`.

mod disk;
mod restore_point;
mod vm;

pub use disk::{disk, disk_state};
pub use restore_point::{
    access_state, collection, copy_percent, disk_point, drp_id, drp_percent, point, point_id,
};
pub use vm::{vm, vm_instance_view};

use serde_json::{Value, json};

use super::clock::arm_time;
use super::state::{Operation, ResourceGroup, Subscription};

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

/// `logicalSectorSize` of a disk restore point of a disk of this type: Premium SSD v2 and
/// Ultra disks use 4096-byte sectors, every other type 512.
pub fn logical_sector_size(sku: &str) -> i64 {
    if is_direct_drive(sku) { 4096 } else { 512 }
}

pub(crate) fn tags_json(tags: &super::state::Tags) -> Value {
    json!(tags)
}

pub(crate) fn status(code: &str, display: &str, time: Option<f64>) -> Value {
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
