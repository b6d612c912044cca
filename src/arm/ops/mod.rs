//! Typed ARM operations, one file per resource family.

mod admin;
mod compute;
mod disks;
mod network;
mod resources;
mod restore_points;

pub use restore_points::RestorePointRequest;

use super::ArmError;
use crate::model::ResourceId;

/// Refuses an id of the wrong type before any request goes out.
pub(crate) fn expect_kind(id: &ResourceId, kind: &str) -> Result<(), ArmError> {
    if id.kind().eq_ignore_ascii_case(kind) {
        Ok(())
    } else {
        Err(ArmError::InvalidRequest(format!("{id} is not a {kind} id")))
    }
}

/// A progress callback that ignores progress.
pub(crate) fn no_progress(_: super::LroProgress) {}
