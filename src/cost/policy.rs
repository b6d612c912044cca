//! A retention policy: how often a point is taken, how many (or how long) are kept, in
//! which consistency mode, which disks are left out, and whether points get instant
//! access. And the clean-up it implies for the points retained today.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::chain::{ChainIndex, DAY_SECS};
use super::estate::{CostEstate, Estimate, Scope};
use super::money::Amount;
use crate::rules::{INSTANT_ACCESS_MINUTES, MAX_POINTS_PER_VM, Mode, minimum_interval};

/// How long points are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Retention {
    /// The newest N points of each collection.
    Count(u32),
    /// Points younger than N days.
    Days(u32),
}

/// A retention policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// A point every this many hours.
    pub every_hours: u32,
    /// How long points are kept.
    pub retention: Retention,
    /// The consistency mode points are taken in.
    pub mode: Mode,
    /// Lower-case ids of disks left out of new points.
    pub excluded_disks: BTreeSet<String>,
    /// New points get instant access (Premium SSD v2 and Ultra disks).
    pub instant_access: bool,
    /// How long instant access lasts, minutes.
    pub instant_access_minutes: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            every_hours: 24,
            retention: Retention::Count(30),
            mode: Mode::ApplicationConsistent,
            excluded_disks: BTreeSet::new(),
            instant_access: false,
            instant_access_minutes: 300,
        }
    }
}

impl Policy {
    /// Days between two points.
    pub fn interval_days(&self) -> f64 {
        f64::from(self.every_hours.max(1)) / 24.0
    }

    /// Points each collection keeps once only the policy's points are left.
    pub fn points_kept(&self) -> u32 {
        match self.retention {
            Retention::Count(n) => n,
            Retention::Days(d) => d.saturating_mul(24) / self.every_hours.max(1) + 1,
        }
    }

    /// Days until only points the policy took are kept: keep-count × interval, or the
    /// keep-days.
    pub fn steady_after_days(&self) -> f64 {
        match self.retention {
            Retention::Count(n) => f64::from(n) * self.interval_days(),
            Retention::Days(d) => f64::from(d),
        }
    }

    /// What Azure would refuse or the policy cannot mean, one sentence each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let min_hours = minimum_interval(self.mode).whole_hours();
        if i64::from(self.every_hours) < min_hours {
            out.push(format!(
                "Azure allows one {} point every {min_hours} h at most",
                self.mode.label()
            ));
        }
        match self.retention {
            Retention::Count(0) | Retention::Days(0) => {
                out.push("Keep at least one point".to_owned());
            }
            _ => {}
        }
        if self.points_kept() as usize > MAX_POINTS_PER_VM {
            out.push(format!(
                "That keeps {} points: Azure allows at most {MAX_POINTS_PER_VM} per VM",
                self.points_kept()
            ));
        }
        if self.instant_access
            && !INSTANT_ACCESS_MINUTES.contains(&i64::from(self.instant_access_minutes))
        {
            out.push(format!(
                "Instant access lasts {} to {} minutes",
                INSTANT_ACCESS_MINUTES.start(),
                INSTANT_ACCESS_MINUTES.end()
            ));
        }
        out
    }

    /// "every 24 h, keep 30 points, application-consistent".
    pub fn describe(&self) -> String {
        let keep = match self.retention {
            Retention::Count(n) => format!("keep {n} points"),
            Retention::Days(d) => format!("keep {d} days"),
        };
        let mut text = format!(
            "every {} h, {keep}, {}",
            self.every_hours,
            self.mode.label()
        );
        if !self.excluded_disks.is_empty() {
            text.push_str(&format!(", {} disk(s) excluded", self.excluded_disks.len()));
        }
        if self.instant_access {
            text.push_str(&format!(
                ", instant access {} min",
                self.instant_access_minutes
            ));
        }
        text
    }
}

/// The policies the cost views compare until the user changes them: A a daily
/// application-consistent point kept 30 times, B the same kept 7 times.
pub fn default_policies() -> [Policy; 2] {
    [
        Policy::default(),
        Policy {
            retention: Retention::Count(7),
            ..Default::default()
        },
    ]
}

impl Policy {
    /// A policy from `EVERY:KEEP[:MODE]`: `24h:30` (a point every 24 hours, the newest 30
    /// kept), `12h:7d:crash` (kept 7 days, crash-consistent); the mode is `app` (the
    /// default) or `crash`. Checked against what Azure allows ([`Policy::problems`]).
    pub fn parse_spec(spec: &str) -> Result<Policy, String> {
        let bad = |why: &str| format!("policy {spec:?}: {why} (e.g. 24h:30 or 12h:7d:crash)");
        let mut parts = spec.trim().split(':');
        let every = parts.next().unwrap_or_default();
        let every_hours: u32 = every
            .strip_suffix('h')
            .and_then(|h| h.parse().ok())
            .filter(|h| *h > 0)
            .ok_or_else(|| bad("the interval is whole hours, like 24h"))?;
        let keep = parts
            .next()
            .ok_or_else(|| bad("how many points or days to keep"))?;
        let retention = match keep.strip_suffix('d') {
            Some(days) => Retention::Days(days.parse().map_err(|_| bad("days are 7d"))?),
            None => Retention::Count(keep.parse().map_err(|_| bad("keep a number of points"))?),
        };
        let mode = match parts.next() {
            None | Some("app") => Mode::ApplicationConsistent,
            Some("crash") => Mode::CrashConsistent,
            Some(_) => return Err(bad("the mode is app or crash")),
        };
        if parts.next().is_some() {
            return Err(bad("too many parts"));
        }
        let policy = Policy {
            every_hours,
            retention,
            mode,
            ..Default::default()
        };
        match policy.problems().first() {
            Some(problem) => Err(format!("policy {spec:?}: {problem}")),
            None => Ok(policy),
        }
    }
}

/// Points deleted by a clean-up to a policy, and what it frees.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cleanup {
    /// Point indices to delete.
    pub points: Vec<usize>,
    /// Collections that lose points.
    pub collections: usize,
    /// What it frees per month.
    pub freed: Amount,
}

/// The points a clean-up to `policy` would delete now in `scope` (older than the
/// newest N of their collection, or than N days), and what that frees.
pub fn cleanup(
    estate: &CostEstate,
    est: &Estimate,
    scope: &Scope,
    policy: &Policy,
    now_unix: i64,
) -> Cleanup {
    // Per collection, the oldest time kept: everything before it goes.
    let mut keep_from: Vec<Option<i64>> = vec![None; estate.collections.len()];
    let mut out = Cleanup::default();
    for (ci, c) in estate.collections.iter().enumerate() {
        if !scope.includes(c) {
            continue;
        }
        let points = &estate.collection_points[ci];
        let from = match policy.retention {
            Retention::Count(n) if (n as usize) < points.len() => {
                estate.points[points[points.len() - n as usize]].time_unix
            }
            Retention::Count(_) => continue,
            Retention::Days(d) => (now_unix as f64 - f64::from(d) * DAY_SECS).ceil() as i64,
        };
        let before = out.points.len();
        out.points.extend(
            points
                .iter()
                .filter(|p| estate.points[**p].time_unix < from),
        );
        if out.points.len() > before {
            out.collections += 1;
            keep_from[ci] = Some(from);
        }
    }
    // Each chain loses its points before the cut; the first kept one then holds the used
    // data.
    let mut index = ChainIndex::default();
    for (fi, f) in estate.families.iter().enumerate() {
        let Some(from) = keep_from[f.collection] else {
            continue;
        };
        let cut = f.times.partition_point(|t| *t < from);
        if cut == 0 {
            continue;
        }
        index.rebuild(&f.times, est.churn[fi]);
        let gib = est.used_gib[fi] * (index.from(0) - index.from(cut));
        out.freed += Amount::priced(gib, est.price[f.collection]);
    }
    out
}

#[cfg(test)]
mod spec_tests {
    use super::*;

    #[test]
    fn a_policy_spec_reads_interval_retention_and_mode() {
        let p = Policy::parse_spec("12h:7d:crash").expect("valid");
        assert_eq!(p.every_hours, 12);
        assert_eq!(p.retention, Retention::Days(7));
        assert_eq!(p.mode, Mode::CrashConsistent);
        let p = Policy::parse_spec("24h:30").expect("valid");
        assert_eq!(p, Policy::default());
    }

    #[test]
    fn a_policy_spec_azure_would_refuse_is_an_error() {
        for spec in ["1h:30", "24h", "24:30", "24h:0", "24h:30:fast", "24h:600"] {
            assert!(Policy::parse_spec(spec).is_err(), "{spec}");
        }
    }
}
