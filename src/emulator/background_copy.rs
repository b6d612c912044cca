//! Background data copies that run in virtual time after the resource already exists.
//!
//! Two of them matter for a restore (Microsoft's "Incremental snapshots" article and the
//! Premium SSD v2 / Ultra Disk limitations):
//! - a Premium SSD v2 or Ultra disk restore point of a point without instant access keeps
//!   copying its data into the snapshot after the point has succeeded, and "can't be used
//!   to create new disks until the background process copying the data into the snapshot
//!   has completed" (`snapshotAccessState` `Pending`, `completionPercent` below 100);
//! - a Premium SSD v2 or Ultra disk created from a disk restore point hydrates after its
//!   create operation ends, and cannot be attached to a VM that is not zonal meanwhile.
//!
//! Other disk types "always report 100%".
//!
//! A cross-region copy (a restore point PUT with `sourceRestorePoint`) copies each disk
//! restore point on its own, side by side: each reports its own `completionPercent`, a
//! small disk finishes before a large one, and the point succeeds when the largest is
//! copied. A copy that fails stops where it was: its percentages stay there.

use super::render::is_direct_drive;
use super::state::{CopyInfo, Disk, Hydration, Point, SnapDisk};

/// Virtual seconds a cross-region copy of a disk restore point spends before data moves.
pub const REGION_COPY_SETUP_SECS: f64 = 300.0;

/// Virtual seconds per GB a disk restore point takes to copy to another region (about
/// 1 GB every 2 s).
pub const REGION_COPY_SECS_PER_GB: f64 = 2.0;

/// How long the cross-region copy of one disk restore point of `size_gb` takes.
pub fn region_copy_secs(size_gb: i64) -> f64 {
    REGION_COPY_SETUP_SECS + size_gb.max(0) as f64 * REGION_COPY_SECS_PER_GB
}

/// Whole percent of the cross-region copy of a disk of `size_gb`, in a point whose
/// largest disk is `largest_gb`, at virtual time `at`: the point's copy lasts
/// `copy.duration` (its largest disk's), each disk its share of it.
pub fn region_copy_percent(copy: &CopyInfo, size_gb: i64, largest_gb: i64, at: f64) -> i64 {
    let share = region_copy_secs(size_gb) / region_copy_secs(largest_gb.max(size_gb));
    percent(copy.started, copy.duration * share, at)
}

/// Virtual seconds per GB the copy into a Premium SSD v2 / Ultra snapshot takes.
pub const SNAPSHOT_COPY_SECS_PER_GB: f64 = 40.0;

/// Virtual seconds per GB a Premium SSD v2 / Ultra disk restored from a snapshot takes to
/// hydrate.
pub const HYDRATION_SECS_PER_GB: f64 = 0.5;

/// Whole percent of a copy that runs from `started` for `secs` (0 before it starts).
pub fn percent(started: f64, secs: f64, now: f64) -> i64 {
    if secs <= 0.0 || now >= started + secs {
        return 100;
    }
    // Truncation is the floor here: the value is clamped to 0..=100 first.
    (((now - started) / secs) * 100.0).clamp(0.0, 100.0).floor() as i64
}

/// Whether the disk restore points of a point are instant access snapshots while the
/// instant access window lasts (the point was created with instant access, as
/// `render::access_state` decides).
pub fn has_instant_access(p: &Point) -> bool {
    p.instant_access_minutes.is_some()
}

/// Progress of the copy into the snapshot of one disk restore point, when it has one:
/// Premium SSD v2 / Ultra disks in points without instant access, counted from the point's
/// creation. Cross-region copies have their own progress (`render::copy_percent`).
pub fn snapshot_copy_percent(p: &Point, disk: &SnapDisk, now: f64) -> Option<i64> {
    if p.copy.is_some() || has_instant_access(p) || !is_direct_drive(&disk.storage_type) {
        return None;
    }
    let secs = disk.size_gb as f64 * SNAPSHOT_COPY_SECS_PER_GB;
    Some(percent(p.created, secs, now))
}

/// The hydration of a disk restored from a disk restore point with `sku`, starting when
/// its create operation ends (`None` for disk types that do not report progress).
pub fn hydration_for(sku: &str, size_gb: i64, starts: f64) -> Option<Hydration> {
    is_direct_drive(sku).then_some(Hydration {
        started: starts,
        secs: size_gb as f64 * HYDRATION_SECS_PER_GB,
    })
}

/// `completionPercent` of a disk: the hydration progress of a restored Premium SSD v2 /
/// Ultra disk, 100 for other disks made from a source (`Restore`, `Copy`), and nothing
/// for disks made from scratch or from an image, which have no copy to report.
pub fn disk_percent(d: &Disk, now: f64) -> Option<i64> {
    if let Some(h) = d.hydration {
        return Some(percent(h.started, h.secs, now));
    }
    let copied = d.create_option.eq_ignore_ascii_case("Restore")
        || d.create_option.eq_ignore_ascii_case("Copy");
    copied.then_some(100)
}

/// Hydration progress of a disk still copying its data in the background, if any.
pub fn hydrating(d: &Disk, now: f64) -> Option<i64> {
    d.hydration
        .map(|h| percent(h.started, h.secs, now))
        .filter(|p| *p < 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rises_from_zero_to_a_hundred_and_floors() {
        assert_eq!(percent(100.0, 50.0, 90.0), 0);
        assert_eq!(percent(100.0, 50.0, 100.0), 0);
        assert_eq!(percent(100.0, 50.0, 124.9), 49);
        assert_eq!(percent(100.0, 50.0, 150.0), 100);
        assert_eq!(percent(100.0, 0.0, 0.0), 100);
    }
}
