//! Deleting a restore point or a whole collection (its points go with it), as the exact
//! ARM calls it takes: optionally revoking access to disk restore points first (Azure
//! refuses to delete a point while one of its disk restore points has an active SAS),
//! then the DELETE.

use crate::model::{ArmCall, ResourceId, api_versions};

/// The ARM error code of a delete refused because a disk restore point has an active SAS
/// ("Call EndGetAccess before deleting the restore point").
pub const SAS_REFUSAL_CODE: &str = "DiskRestorePointUsedByCustomer";

/// What is deleted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeleteTarget {
    /// One restore point.
    Point(ResourceId),
    /// A collection and every point in it.
    Collection(ResourceId),
}

impl DeleteTarget {
    /// The resource deleted.
    pub fn id(&self) -> &ResourceId {
        match self {
            Self::Point(id) | Self::Collection(id) => id,
        }
    }

    /// "restore point" or "collection".
    pub fn noun(&self) -> &'static str {
        match self {
            Self::Point(_) => "restore point",
            Self::Collection(_) => "collection",
        }
    }
}

/// A delete as it will be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct DeletePlan {
    /// What goes.
    pub target: DeleteTarget,
    /// Disk restore points whose access is revoked first (empty: none).
    pub revoke: Vec<ResourceId>,
}

impl DeletePlan {
    /// A plain delete.
    pub fn new(target: DeleteTarget) -> Self {
        Self {
            target,
            revoke: Vec::new(),
        }
    }

    /// A delete that first revokes access to these disk restore points.
    pub fn revoking_first(target: DeleteTarget, disk_restore_points: Vec<ResourceId>) -> Self {
        Self {
            target,
            revoke: disk_restore_points,
        }
    }

    /// The calls, in order: each `endGetAccess` (Disk RP api-version, even under a
    /// restore point's path), then the DELETE (Compute RP).
    pub fn calls(&self) -> Vec<ArmCall> {
        self.revoke
            .iter()
            .map(revoke_call)
            .chain(std::iter::once(ArmCall::delete(
                self.target.id().as_str(),
                api_versions::COMPUTE,
            )))
            .collect()
    }

    /// "Delete restore point rp-001 (revoking access first)".
    pub fn title(&self) -> String {
        let mut text = format!("Delete {} {}", self.target.noun(), self.target.id().name());
        if !self.revoke.is_empty() {
            text.push_str(" (revoking access to its disk restore points first)");
        }
        text
    }
}

/// `POST …/diskRestorePoints/{name}/endGetAccess`: revokes a SAS granted with
/// `beginGetAccess`.
pub fn revoke_call(disk_restore_point: &ResourceId) -> ArmCall {
    ArmCall::post(
        format!("{disk_restore_point}/endGetAccess"),
        api_versions::DISKS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CallMethod;

    #[test]
    fn revoking_first_puts_each_end_get_access_before_the_delete() {
        let point = ResourceId::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/p").expect("id");
        let drp = point.child("diskRestorePoints", "d1");
        let calls =
            DeletePlan::revoking_first(DeleteTarget::Point(point.clone()), vec![drp.clone()])
                .calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].method, CallMethod::Post);
        assert_eq!(calls[0].path, format!("{drp}/endGetAccess"));
        assert_eq!(calls[0].api_version, "2025-01-02");
        assert_eq!(calls[1].method, CallMethod::Delete);
        assert_eq!(calls[1].path, point.as_str());
        assert_eq!(calls[1].api_version, "2025-04-01");
    }
}
