//! Where a cross-region copy is, read from its restore point's instance view: each disk
//! restore point's `replicationStatus.completionPercent`, the point's provisioning state,
//! and ARM's reason when the copy failed.

use super::{ErrorInfo, Inventory};
use crate::activity::ActivityId;
use crate::model::{ProvisioningState, ResourceId, RestorePoint};

/// A copy rpdesk sent and follows, with its latest progress: what the copy progress view
/// shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyWatch {
    /// The copy (the restore point in the target collection).
    pub point_id: ResourceId,
    pub source_point_id: ResourceId,
    pub target_region: String,
    /// The activity following it (its Cancel stops following; Azure goes on copying).
    pub activity: ActivityId,
    /// `None` until the first read of the copy's instance view.
    pub progress: Option<CopyProgress>,
    /// rpdesk stopped following it before it was done (cancelled, or reading it failed).
    pub stopped: Option<String>,
}

impl Inventory {
    /// Records a copy's latest progress (a new copy goes last, a known one is replaced).
    pub fn record_copy_watch(&mut self, watch: CopyWatch) {
        self.generation += 1;
        match self
            .copy_watches
            .iter_mut()
            .find(|w| w.point_id == watch.point_id)
        {
            Some(w) => *w = watch,
            None => self.copy_watches.push(watch),
        }
    }
}

/// One disk restore point of a copy.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskCopy {
    /// The disk's name (from the point's `sourceMetadata`), else the disk restore point's.
    pub name: String,
    /// `completionPercent`, 0 until the instance view reports one.
    pub percent: f64,
}

/// Whether a copy is still running, done, or failed.
#[derive(Clone, Debug, PartialEq)]
pub enum CopyState {
    Copying,
    /// The point succeeded and every disk restore point is at 100 %.
    Done,
    /// ARM's reason, from the instance view's error status when it has one.
    Failed(ErrorInfo),
}

/// A copy's progress.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyProgress {
    /// The OS disk first, then data disks as the instance view lists them.
    pub disks: Vec<DiskCopy>,
    pub state: CopyState,
}

impl CopyProgress {
    /// Reads a restore point fetched with `$expand=instanceView`.
    pub fn of(point: &RestorePoint) -> Self {
        let captured = point.captured_disks();
        let view = point.properties.instance_view.as_deref();
        let mut disks: Vec<(bool, DiskCopy)> = view
            .map(|v| v.disk_restore_points.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|d| {
                let drp_name = d.id.rsplit('/').next().unwrap_or_default();
                let disk = captured.iter().find(|c| {
                    c.disk_restore_point
                        .as_ref()
                        .is_some_and(|r| r.id.name().eq_ignore_ascii_case(drp_name))
                });
                let name = disk
                    .and_then(|c| c.name.as_deref())
                    .unwrap_or(drp_name)
                    .to_owned();
                let percent = d
                    .replication_status
                    .as_ref()
                    .and_then(|r| r.completion_percent)
                    .unwrap_or(0.0)
                    .clamp(0.0, 100.0);
                let is_os = disk.is_some_and(|c| c.lun.is_none());
                (is_os, DiskCopy { name, percent })
            })
            .collect();
        disks.sort_by_key(|(is_os, _)| !*is_os);
        let disks: Vec<DiskCopy> = disks.into_iter().map(|(_, d)| d).collect();
        let state = match &point.properties.provisioning_state {
            Some(ProvisioningState::Failed | ProvisioningState::Canceled) => {
                CopyState::Failed(failure_of(point))
            }
            Some(ProvisioningState::Succeeded) if disks.iter().all(|d| d.percent >= 100.0) => {
                CopyState::Done
            }
            _ => CopyState::Copying,
        };
        Self { disks, state }
    }

    /// The copy's progress as a whole: its slowest disk's (the point is usable only when
    /// every disk restore point is copied); 100 once done.
    pub fn percent(&self) -> f64 {
        if self.state == CopyState::Done {
            return 100.0;
        }
        self.disks
            .iter()
            .map(|d| d.percent)
            .reduce(f64::min)
            .unwrap_or(0.0)
    }

    /// `os-disk 100 % · data-00 42 %`.
    pub fn summary(&self) -> String {
        if self.disks.is_empty() {
            return "waiting for the first progress report".into();
        }
        self.disks
            .iter()
            .map(|d| format!("{} {:.0} %", d.name, d.percent.floor()))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// ARM's reason for a failed copy: the instance view's error status
/// (`ProvisioningState/failed/<code>` with its message).
fn failure_of(point: &RestorePoint) -> ErrorInfo {
    let statuses = point
        .properties
        .instance_view
        .as_deref()
        .map(|v| v.statuses.as_slice())
        .unwrap_or_default();
    let failed = statuses.iter().find(|s| {
        s.level
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case("Error"))
            || s.code
                .to_ascii_lowercase()
                .starts_with("provisioningstate/failed")
    });
    match failed {
        Some(s) => ErrorInfo {
            code: Some(
                s.code
                    .rsplit('/')
                    .next()
                    .filter(|c| !c.eq_ignore_ascii_case("failed"))
                    .unwrap_or("CopyFailed")
                    .to_owned(),
            ),
            message: s
                .message
                .clone()
                .or_else(|| s.display_status.as_deref().map(str::to_owned))
                .unwrap_or_else(|| "the copy failed".into()),
            ..Default::default()
        },
        None => ErrorInfo {
            code: Some("CopyFailed".into()),
            message: format!(
                "the copy ended in provisioning state {}, and ARM gave no reason",
                point
                    .properties
                    .provisioning_state
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            ),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn point(state: &str, percents: &[i64], statuses: serde_json::Value) -> RestorePoint {
        let base = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/p";
        let names = ["vm_OsDisk_1", "vm-data-00"];
        let drps: Vec<_> = percents
            .iter()
            .zip(names)
            .map(|(pct, n)| {
                json!({ "id": format!("{base}/diskRestorePoints/{n}_0001"),
                                    "replicationStatus": { "completionPercent": pct } })
            })
            .collect();
        serde_json::from_value(json!({
            "id": base, "name": "p",
            "properties": {
                "provisioningState": state,
                "sourceMetadata": { "storageProfile": {
                    "osDisk": { "name": "vm_OsDisk_1", "diskRestorePoint": { "id": format!("{base}/diskRestorePoints/vm_OsDisk_1_0001") } },
                    "dataDisks": [ { "lun": 0, "name": "vm-data-00", "diskRestorePoint": { "id": format!("{base}/diskRestorePoints/vm-data-00_0001") } } ]
                } },
                "instanceView": { "diskRestorePoints": drps, "statuses": statuses }
            }
        }))
        .expect("point json")
    }

    #[test]
    fn each_disk_reports_its_own_percent_and_the_slowest_is_the_copys() {
        let p = CopyProgress::of(&point("Creating", &[100, 42], json!([])));
        assert_eq!(p.state, CopyState::Copying);
        assert_eq!(p.percent(), 42.0);
        assert_eq!(p.summary(), "vm_OsDisk_1 100 % · vm-data-00 42 %");
    }

    #[test]
    fn a_succeeded_point_is_done_only_when_every_disk_is_copied() {
        let p = CopyProgress::of(&point("Succeeded", &[100, 100], json!([])));
        assert_eq!(p.state, CopyState::Done);
        assert_eq!(p.percent(), 100.0);
        let p = CopyProgress::of(&point("Succeeded", &[100, 99], json!([])));
        assert_eq!(p.state, CopyState::Copying);
    }

    #[test]
    fn a_failed_copy_carries_arms_reason() {
        let p = CopyProgress::of(&point(
            "Failed",
            &[100, 39],
            json!([{ "code": "ReplicationState/failed", "level": "Info" },
                   { "code": "ProvisioningState/failed/ReplicationFailed", "level": "Error",
                     "message": "Replication failed." }]),
        ));
        let CopyState::Failed(e) = &p.state else {
            panic!("failed: {p:?}");
        };
        assert_eq!(e.code.as_deref(), Some("ReplicationFailed"));
        assert_eq!(e.message, "Replication failed.");
        assert_eq!(p.percent(), 39.0);
        let p = CopyProgress::of(&point("Failed", &[10, 10], json!([])));
        assert!(
            matches!(&p.state, CopyState::Failed(e) if e.code.as_deref() == Some("CopyFailed"))
        );
    }
}
