//! A retention rule and the clean-up it selects: keep the newest N points of each VM,
//! keep points younger than D days, and always keep each VM's newest
//! application-consistent point and every pinned point; the rest goes.
//!
//! A point is kept when any of these holds. Points rpdesk may not delete (Azure Backup's,
//! points still being created or deleted) are skipped with the reason and do not count
//! towards the newest N: a VM's own points are never deleted to make room for points
//! someone else manages.

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// Seconds in a day.
const DAY_SECS: i64 = 86_400;

/// What a clean-up keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionRule {
    /// Keep the newest this many points of each VM.
    pub keep_last: Option<u32>,
    /// Keep points younger than this many days.
    pub keep_days: Option<u32>,
}

impl Default for RetentionRule {
    fn default() -> Self {
        Self {
            keep_last: Some(30),
            keep_days: None,
        }
    }
}

impl RetentionRule {
    /// Why the rule cannot be applied, one sentence each (empty: it can).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.keep_last.is_none() && self.keep_days.is_none() {
            out.push("Say how many points to keep per VM, or for how many days".to_owned());
        }
        if self.keep_last == Some(0) {
            out.push("Keep at least one point per VM".to_owned());
        }
        if self.keep_days == Some(0) {
            out.push("Keep points for at least one day".to_owned());
        }
        out
    }

    /// "keep the newest 30 per VM or younger than 14 days, the newest application-consistent
    /// point and pinned points".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.keep_last {
            parts.push(format!("the newest {n} per VM"));
        }
        if let Some(d) = self.keep_days {
            parts.push(format!(
                "points younger than {d} day{}",
                if d == 1 { "" } else { "s" }
            ));
        }
        parts.push("each VM's newest application-consistent point".to_owned());
        parts.push("pinned points".to_owned());
        let last = parts.pop().unwrap_or_default();
        format!("keep {} and {last}", parts.join(", "))
    }
}

/// A restore point the rule looks at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Candidate {
    /// Its resource id.
    pub id: String,
    /// What "per VM" means for it: the lower-case id of its VM (or of its collection when
    /// it has no VM of its own, such as a cross-region copy).
    pub group: String,
    /// `timeCreated`, Unix seconds (`None`: unknown, never deleted).
    pub time_unix: Option<i64>,
    /// Taken application-consistent.
    pub app_consistent: bool,
    /// Pinned by a local label.
    pub pinned: bool,
    /// Why rpdesk may not delete it, if so (Azure Backup owns it, it is being created…).
    pub blocked: Option<String>,
}

/// Why a point is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeepReason {
    /// Among the newest N of its VM.
    Newest,
    /// Younger than D days.
    Young,
    /// Its VM's newest application-consistent point.
    NewestAppConsistent,
    /// Pinned by a label.
    Pinned,
}

impl KeepReason {
    /// How the preview says it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "among the newest",
            Self::Young => "young enough",
            Self::NewestAppConsistent => "newest application-consistent",
            Self::Pinned => "pinned",
        }
    }
}

/// What the rule makes of each candidate (indices into the candidates).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// To delete, oldest first within each VM, VMs in the order met.
    pub delete: Vec<usize>,
    /// Kept, with every reason that keeps it.
    pub kept: Vec<(usize, Vec<KeepReason>)>,
    /// Neither kept nor deleted: rpdesk may not delete them, or their age is unknown.
    pub skipped: Vec<(usize, String)>,
}

/// Applies `rule` to `candidates` at `now_unix`.
pub fn select<C: Borrow<Candidate>>(
    rule: &RetentionRule,
    candidates: &[C],
    now_unix: i64,
) -> Selection {
    let at = |i: usize| candidates[i].borrow();
    let mut out = Selection::default();
    // Groups in the order first met (found by name through an index: a fleet has
    // thousands); each group's deletable points newest first.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut group_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, c) in candidates.iter().map(Borrow::borrow).enumerate() {
        if let Some(reason) = &c.blocked {
            out.skipped.push((i, reason.clone()));
            continue;
        }
        if c.time_unix.is_none() {
            out.skipped
                .push((i, "Its creation time is unknown".to_owned()));
            continue;
        }
        match group_of.get(c.group.as_str()) {
            Some(&g) => groups[g].1.push(i),
            None => {
                group_of.insert(c.group.as_str(), groups.len());
                groups.push((c.group.as_str(), vec![i]));
            }
        }
    }
    let young_from = rule
        .keep_days
        .map(|d| now_unix.saturating_sub(i64::from(d).saturating_mul(DAY_SECS)));
    for (_, mut members) in groups {
        members.sort_by_key(|i| std::cmp::Reverse(at(*i).time_unix));
        let newest_app = members.iter().copied().find(|i| at(*i).app_consistent);
        let mut deleted = Vec::new();
        for (rank, i) in members.iter().copied().enumerate() {
            let c = at(i);
            let time = c.time_unix.unwrap_or(i64::MAX);
            let mut reasons = Vec::new();
            if rule.keep_last.is_some_and(|n| rank < n as usize) {
                reasons.push(KeepReason::Newest);
            }
            // Younger than D days: created after the moment D days ago.
            if young_from.is_some_and(|from| time > from) {
                reasons.push(KeepReason::Young);
            }
            if newest_app == Some(i) {
                reasons.push(KeepReason::NewestAppConsistent);
            }
            if c.pinned {
                reasons.push(KeepReason::Pinned);
            }
            if reasons.is_empty() {
                deleted.push(i);
            } else {
                out.kept.push((i, reasons));
            }
        }
        deleted.reverse();
        out.delete.extend(deleted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    /// A point of `vm` created `hours` ago.
    fn point(vm: &str, name: &str, hours: i64, app: bool) -> Candidate {
        Candidate {
            id: format!("{vm}/{name}"),
            group: vm.to_owned(),
            time_unix: Some(NOW - hours * 3600),
            app_consistent: app,
            ..Default::default()
        }
    }

    fn deleted(rule: RetentionRule, candidates: &[Candidate]) -> Vec<String> {
        let s = select(&rule, candidates, NOW);
        s.delete.iter().map(|i| candidates[*i].id.clone()).collect()
    }

    fn keep_last(n: u32) -> RetentionRule {
        RetentionRule {
            keep_last: Some(n),
            keep_days: None,
        }
    }

    fn keep_days(d: u32) -> RetentionRule {
        RetentionRule {
            keep_last: None,
            keep_days: Some(d),
        }
    }

    /// Daily crash-consistent points p1 (oldest) … pN (newest, 1 h old).
    fn daily(vm: &str, n: i64) -> Vec<Candidate> {
        (1..=n)
            .map(|k| point(vm, &format!("p{k}"), 1 + (n - k) * 24, false))
            .collect()
    }

    #[test]
    fn keep_last_n_keeps_exactly_the_newest_n_per_vm() {
        let mut c = daily("vm-a", 5);
        c.extend(daily("vm-b", 2));
        assert_eq!(deleted(keep_last(3), &c), ["vm-a/p1", "vm-a/p2"]);
        // N = the number of points: nothing goes; N − 1: only the oldest.
        assert!(deleted(keep_last(5), &c).is_empty());
        assert_eq!(deleted(keep_last(4), &c), ["vm-a/p1"]);
        assert_eq!(
            deleted(keep_last(1), &c),
            ["vm-a/p1", "vm-a/p2", "vm-a/p3", "vm-a/p4", "vm-b/p1"]
        );
    }

    #[test]
    fn keep_days_keeps_points_younger_than_d_days_and_not_one_exactly_d_days_old() {
        let c = vec![
            point("vm", "older", 48 + 1, false),
            Candidate {
                time_unix: Some(NOW - 2 * DAY_SECS),
                ..point("vm", "exactly-two-days", 0, false)
            },
            Candidate {
                time_unix: Some(NOW - 2 * DAY_SECS + 1),
                ..point("vm", "a-second-younger", 0, false)
            },
            point("vm", "new", 1, false),
        ];
        assert_eq!(
            deleted(keep_days(2), &c),
            ["vm/older", "vm/exactly-two-days"]
        );
    }

    #[test]
    fn both_limits_keep_what_either_keeps() {
        // Ten daily points: the newest 3 or those younger than 5 days (p6…p10) stay.
        let c = daily("vm", 10);
        let rule = RetentionRule {
            keep_last: Some(3),
            keep_days: Some(5),
        };
        assert_eq!(
            deleted(rule, &c),
            ["vm/p1", "vm/p2", "vm/p3", "vm/p4", "vm/p5"]
        );
    }

    #[test]
    fn the_newest_application_consistent_point_is_kept_even_past_the_rule() {
        let mut c = daily("vm", 6);
        c[1].app_consistent = true; // p2, old
        c[0].app_consistent = true; // p1, older still: not the newest app-consistent
        assert_eq!(deleted(keep_last(2), &c), ["vm/p1", "vm/p3", "vm/p4"]);
        let s = select(&keep_last(2), &c, NOW);
        let p2 = s.kept.iter().find(|(i, _)| *i == 1).expect("p2 kept");
        assert_eq!(p2.1, [KeepReason::NewestAppConsistent]);
    }

    #[test]
    fn an_application_consistent_point_among_the_newest_keeps_nothing_else() {
        let mut c = daily("vm", 4);
        c[3].app_consistent = true; // the newest point
        c[0].app_consistent = true;
        assert_eq!(deleted(keep_last(1), &c), ["vm/p1", "vm/p2", "vm/p3"]);
    }

    #[test]
    fn pinned_points_are_kept_whatever_their_age() {
        let mut c = daily("vm", 5);
        c[0].pinned = true;
        assert_eq!(deleted(keep_last(2), &c), ["vm/p2", "vm/p3"]);
        let s = select(&keep_last(2), &c, NOW);
        assert!(s.kept.contains(&(0, vec![KeepReason::Pinned])));
    }

    #[test]
    fn blocked_points_are_skipped_and_do_not_count_towards_the_newest() {
        let mut c = daily("vm", 4);
        // The two newest are Azure Backup's: the VM's own newest two are still kept.
        c[2].blocked = Some("Owned by Azure Backup".into());
        c[3].blocked = Some("Owned by Azure Backup".into());
        let s = select(&keep_last(2), &c, NOW);
        assert!(s.delete.is_empty(), "{s:?}");
        assert_eq!(s.skipped.len(), 2);
        assert_eq!(s.skipped[0].1, "Owned by Azure Backup");
    }

    #[test]
    fn a_point_of_unknown_age_is_never_deleted() {
        let mut c = daily("vm", 3);
        c[0].time_unix = None;
        let s = select(&keep_last(1), &c, NOW);
        assert_eq!(
            s.delete
                .iter()
                .map(|i| c[*i].id.as_str())
                .collect::<Vec<_>>(),
            ["vm/p2"]
        );
        assert_eq!(s.skipped, [(0, "Its creation time is unknown".to_owned())]);
    }

    #[test]
    fn every_candidate_is_deleted_kept_or_skipped_once() {
        let mut c = daily("vm-a", 7);
        c.extend(daily("vm-b", 3));
        c[4].pinned = true;
        c[8].blocked = Some("x".into());
        let s = select(
            &RetentionRule {
                keep_last: Some(2),
                keep_days: Some(3),
            },
            &c,
            NOW,
        );
        let mut seen: Vec<usize> = s
            .delete
            .iter()
            .copied()
            .chain(s.kept.iter().map(|(i, _)| *i))
            .chain(s.skipped.iter().map(|(i, _)| *i))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..c.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_rule_that_keeps_nothing_is_refused() {
        assert!(RetentionRule::default().problems().is_empty());
        let none = RetentionRule {
            keep_last: None,
            keep_days: None,
        };
        assert_eq!(none.problems().len(), 1);
        assert_eq!(keep_last(0).problems(), ["Keep at least one point per VM"]);
        assert_eq!(
            keep_days(0).problems(),
            ["Keep points for at least one day"]
        );
    }

    #[test]
    fn the_rule_reads_as_a_sentence() {
        let rule = RetentionRule {
            keep_last: Some(30),
            keep_days: Some(14),
        };
        assert_eq!(
            rule.describe(),
            "keep the newest 30 per VM, points younger than 14 days, each VM's newest application-consistent point and pinned points"
        );
    }
}
