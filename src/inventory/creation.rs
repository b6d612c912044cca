//! Restore point creation as the store knows it: what rpdesk did to each VM (for the
//! rules' PUT counting and concurrency), and the plan the UI hands to the backend.

use crate::model::{
    ArmCall, ResourceId, Timestamp, api_versions, collection_call, restore_point_body,
};
use crate::rules::{Mode, PointPut};

/// What rpdesk itself did to a VM's restore points (the rules count PUTs per hour and
/// refuse concurrent creations).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreationLog {
    /// A creation is queued or running.
    pub in_flight: bool,
    /// The restore point PUTs rpdesk sent for the VM, with their mode (Azure meters
    /// each mode on its own), oldest first.
    pub puts: Vec<PointPut>,
}

/// A restore point to create, as settled in the dialog from the assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatePointPlan {
    pub vm_id: ResourceId,
    /// The VM's region (a new collection goes there).
    pub location: String,
    /// The collection to create the point in.
    pub collection_id: ResourceId,
    /// The collection does not exist yet: create it first (with `instantAccess` if asked).
    pub create_collection: bool,
    pub point_name: String,
    pub mode: Mode,
    pub exclude_disks: Vec<ResourceId>,
    /// `instantAccessDurationMinutes`, already checked to be 60–300.
    pub instant_access_minutes: Option<i64>,
    /// Azure accepts the point from this time on (throttle or minimum frequency): the
    /// backend waits until then instead of collecting a 429.
    pub not_before: Option<Timestamp>,
}

impl CreatePointPlan {
    /// The ARM calls the creation sends, in order: the collection PUT when it is new,
    /// then the restore point PUT (none when the name makes no valid id).
    pub fn calls(&self) -> Vec<ArmCall> {
        let mut calls = Vec::new();
        if self.create_collection {
            let ia = self.instant_access_minutes.map(|_| true);
            calls.push(collection_call(
                &self.collection_id,
                &self.location,
                &self.vm_id,
                ia,
            ));
        }
        if let Some(id) = self.point_id() {
            let body = restore_point_body(
                Some(&self.mode.to_consistency()),
                &self.exclude_disks,
                self.instant_access_minutes,
            );
            calls.push(ArmCall::put(id.as_str(), api_versions::COMPUTE, body));
        }
        calls
    }

    /// The restore point's id.
    pub fn point_id(&self) -> Option<ResourceId> {
        point_in(&self.collection_id, &self.point_name)
    }
}

/// The id of restore point `name` in `collection`, if the name makes a valid id.
pub fn point_in(collection: &ResourceId, name: &str) -> Option<ResourceId> {
    ResourceId::parse(&format!("{}/restorePoints/{name}", collection.as_str())).ok()
}

/// A restore point name from a Unix time: `rp-20261122-010500`.
pub fn point_name_at(unix_secs: i64) -> String {
    let t = Timestamp::from_unix_secs(unix_secs).0;
    format!(
        "rp-{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The collection rpdesk creates for a VM that has none: `<vm>-rpc` beside the VM.
pub fn default_collection_id(vm_id: &ResourceId) -> Option<ResourceId> {
    ResourceId::parse(&format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/restorePointCollections/{}-rpc",
        vm_id.subscription_id(),
        vm_id.resource_group()?,
        vm_id.name()
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_names_sort_by_time() {
        assert_eq!(point_name_at(1_795_309_200), "rp-20261122-010000");
        assert!(point_name_at(1_795_309_200) < point_name_at(1_795_309_201));
    }

    #[test]
    fn default_collection_sits_beside_the_vm() {
        let vm = ResourceId::parse(
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
        )
        .expect("valid id");
        let c = default_collection_id(&vm).expect("id");
        assert_eq!(c.name(), "vm1-rpc");
        assert_eq!(c.resource_group(), Some("rg1"));
    }
}
