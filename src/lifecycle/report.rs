//! A clean-up's report: every point it looked at and what became of it (deleted, failed
//! with the reason, skipped with the reason, or not run because the clean-up was
//! stopped), with the point's labels, as CSV to keep with a change ticket.

use super::labels::PointLabel;

/// What became of one point.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Deleted.
    Deleted,
    /// ARM refused or failed: its message.
    Failed(String),
    /// Not deleted on purpose: why.
    Skipped(String),
    /// The clean-up was stopped before its turn (or it is still waiting).
    NotRun,
}

impl Outcome {
    /// "deleted", "failed", "skipped", "not run".
    pub fn label(&self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::Failed(_) => "failed",
            Self::Skipped(_) => "skipped",
            Self::NotRun => "not run",
        }
    }

    /// The reason, for failed and skipped points.
    pub fn reason(&self) -> &str {
        match self {
            Self::Failed(r) | Self::Skipped(r) => r,
            _ => "",
        }
    }
}

/// One point of the report (or one empty collection, its id in `point_id`).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    /// The point's resource id (an empty collection's, for one).
    pub point_id: String,
    /// Its VM's name (or its collection's, without a VM).
    pub vm: String,
    /// Its collection's name.
    pub collection: String,
    /// `timeCreated`, RFC 3339 (empty when unknown).
    pub created: String,
    /// Its consistency mode.
    pub mode: String,
    /// What became of it.
    pub outcome: Outcome,
    /// Its local label.
    pub label: PointLabel,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CleanupReport {
    /// What was cleaned up: "VM sql-prod-01", "the fleet".
    pub scope: String,
    /// The rule, as a sentence.
    pub rule: String,
    /// When the run started, RFC 3339.
    pub started: String,
    /// Every point, in the order of the preview.
    pub rows: Vec<ReportRow>,
    /// The clean-up was stopped before the end.
    pub cancelled: bool,
}

impl CleanupReport {
    /// Points deleted, failed, skipped and not run.
    pub fn counts(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for r in &self.rows {
            let slot = match r.outcome {
                Outcome::Deleted => 0,
                Outcome::Failed(_) => 1,
                Outcome::Skipped(_) => 2,
                Outcome::NotRun => 3,
            };
            out[slot] += 1;
        }
        out
    }

    /// "7 deleted · 1 failed · 2 skipped" (not run only when some were not).
    pub fn summary(&self) -> String {
        let [deleted, failed, skipped, not_run] = self.counts();
        let mut text = format!("{deleted} deleted · {failed} failed · {skipped} skipped");
        if not_run > 0 {
            text.push_str(&format!(" · {not_run} not run"));
        }
        text
    }

    /// Sets a point's outcome; false when the report has no such point.
    pub fn set(&mut self, point_id: &str, outcome: Outcome) -> bool {
        match self
            .rows
            .iter_mut()
            .find(|r| r.point_id.eq_ignore_ascii_case(point_id))
        {
            Some(row) => {
                row.outcome = outcome;
                true
            }
            None => false,
        }
    }

    /// The CSV: one line per point, its labels included.
    pub fn to_csv(&self) -> String {
        let mut t = crate::csv::Table::new(&[
            "outcome",
            "reason",
            "vm",
            "collection",
            "restore_point",
            "created",
            "consistency",
            "ticket",
            "label_reason",
            "owner",
            "pinned",
            "resource_id",
        ]);
        for r in &self.rows {
            // An empty collection's row names no point.
            let name = match r.point_id.rsplit_once('/') {
                Some((parent, name)) if parent.to_ascii_lowercase().ends_with("/restorepoints") => {
                    name
                }
                _ => "",
            };
            t.push(vec![
                r.outcome.label().to_owned(),
                r.outcome.reason().to_owned(),
                r.vm.clone(),
                r.collection.clone(),
                name.to_owned(),
                r.created.clone(),
                r.mode.clone(),
                r.label.ticket.clone(),
                r.label.reason.clone(),
                r.label.owner.clone(),
                if r.label.pinned { "yes" } else { "" }.to_owned(),
                r.point_id.clone(),
            ]);
        }
        t.to_csv()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, outcome: Outcome) -> ReportRow {
        ReportRow {
            point_id: id.into(),
            vm: "vm".into(),
            collection: "rpc".into(),
            created: "2026-11-01T00:00:00Z".into(),
            mode: "CrashConsistent".into(),
            outcome,
            label: PointLabel::default(),
        }
    }

    #[test]
    fn the_csv_has_one_line_per_point_with_its_outcome_reason_and_labels() {
        let mut report = CleanupReport {
            rows: vec![
                row("/x/rpc/restorePoints/a", Outcome::NotRun),
                row(
                    "/x/rpc/restorePoints/b",
                    Outcome::Skipped("Owned by Azure Backup".into()),
                ),
            ],
            ..Default::default()
        };
        report.rows[0].label.ticket = "INC-1".into();
        assert!(report.set(
            "/X/RPC/restorePoints/A",
            Outcome::Failed("Conflict, \"busy\"".into())
        ));
        assert!(!report.set("/x/rpc/restorePoints/zz", Outcome::Deleted));
        let csv = report.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("outcome,reason,vm,collection,restore_point"));
        assert!(
            lines[1].starts_with("failed,\"Conflict, \"\"busy\"\"\",vm,rpc,a,"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains(",INC-1,"));
        assert!(lines[2].starts_with("skipped,Owned by Azure Backup,"));
        assert_eq!(report.summary(), "0 deleted · 1 failed · 1 skipped");
    }
}
