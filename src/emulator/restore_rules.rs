//! What Azure checks when a disk is created from a disk restore point, by a Disk PUT with
//! `createOption: Restore` or by a data disk `createOption: Restore` inside a VM PUT:
//! the disk restore point must be ready (not `Pending`) and in the disk's region
//! (Microsoft's "Manage restore points" and instant access snapshot articles), the disk
//! can only keep or grow the captured size (disks are never shrunk), and instant access
//! and 4096-byte-sector snapshots restore only to Premium SSD v2 or Ultra Disks, an
//! instant access one no larger than the snapshot (Microsoft's "Instant access snapshots"
//! article and the incremental snapshot restrictions).

use axum::http::StatusCode;

use super::errors::{ArmError, ArmResult};
use super::render::{self, is_direct_drive, logical_sector_size};
use super::server::Ctx;

/// The disk a disk restore point holds, as a restore starts from it.
pub struct RestoreSource {
    pub sku: String,
    pub size_gb: i64,
    pub os_type: Option<String>,
    pub hyperv: String,
    pub security: Option<String>,
    pub unique: String,
    /// `snapshotAccessState` is `InstantAccess` or `AvailableWithInstantAccess`.
    pub instant: bool,
    /// `logicalSectorSize` of the disk restore point (512 or 4096).
    pub sector: i64,
}

fn invalid(message: impl Into<String>, target: &str) -> ArmError {
    ArmError::bad_request("InvalidParameter", message).with_target(target)
}

/// Validates a disk restore point as a restore source and describes the disk it holds.
pub fn restore_source(ctx: &Ctx<'_>, drp_id: &str, location: &str) -> ArmResult<RestoreSource> {
    let not_found = || {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("The disk restore point '{drp_id}' was not found."),
        )
        .with_target("creationData.sourceResourceId")
    };
    if !drp_id.to_ascii_lowercase().contains("/diskrestorepoints/") {
        return Err(invalid(
            "creationData.sourceResourceId must be a disk restore point id when createOption is Restore.",
            "creationData.sourceResourceId",
        ));
    }
    let (ck, pi, di) = ctx.estate.find_disk_point(drp_id).ok_or_else(not_found)?;
    let c = ctx.estate.collections.get(&ck).ok_or_else(not_found)?;
    let p = c.points.get(pi).ok_or_else(not_found)?;
    let dp = p.disks.get(di).ok_or_else(not_found)?;
    let state = render::access_state(ctx.estate, p, dp, ctx.now);
    if state == "Pending" || state == "Unknown" {
        let pct = render::drp_percent(ctx.estate, p, dp, ctx.now);
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "The disk restore point is not ready (snapshotAccessState '{state}', provisioningState '{}', completionPercent {pct}); it cannot be used for restore yet.",
                p.provisioning
            ),
        ));
    }
    if !c.location.eq_ignore_ascii_case(location) {
        return Err(invalid(
            format!(
                "The disk must be created in the region of its disk restore point ('{}'), not '{location}'.",
                c.location
            ),
            "location",
        ));
    }
    let snap = ctx.estate.snapshots.get(p.snapshot).ok_or_else(not_found)?;
    let sd = snap.disks.get(dp.disk).ok_or_else(not_found)?;
    Ok(RestoreSource {
        sku: sd.storage_type.clone(),
        size_gb: sd.size_gb,
        os_type: sd.lun.is_none().then(|| snap.os_type.clone()),
        hyperv: snap.hyperv_gen.clone(),
        security: snap.security_type.clone(),
        unique: sd.source_unique_id.to_string(),
        instant: state == "AvailableWithInstantAccess" || state == "InstantAccess",
        sector: logical_sector_size(&sd.storage_type),
    })
}

impl RestoreSource {
    /// The size of a disk restored as `sku` with `requested` GB (or the captured size),
    /// refusing the SKUs and sizes Azure refuses. `sku_target` names the SKU parameter
    /// of the request in the error.
    pub fn target_size(
        &self,
        sku: &str,
        requested: Option<i64>,
        sku_target: &str,
    ) -> ArmResult<i64> {
        let direct = is_direct_drive(sku);
        if self.instant && !direct {
            return Err(invalid(
                "Only Ultra Disks and Premium SSD v2 can be created from instant access snapshots.",
                sku_target,
            ));
        }
        if self.sector == 4096 && !direct {
            return Err(invalid(
                "Snapshots with a 4096 logical sector size can only be used to create Ultra Disks and Premium SSD v2 disks.",
                sku_target,
            ));
        }
        let size = requested.unwrap_or(self.size_gb);
        if size < self.size_gb {
            return Err(invalid(
                format!(
                    "The requested size {size} GB is smaller than the source disk restore point ({} GB): a disk can only keep or grow its size.",
                    self.size_gb
                ),
                "diskSizeGB",
            ));
        }
        if self.instant && size > self.size_gb {
            return Err(invalid(
                format!(
                    "A disk created from an instant access snapshot cannot be larger than the snapshot ({} GB).",
                    self.size_gb
                ),
                "diskSizeGB",
            ));
        }
        Ok(size)
    }
}
