//! One disk's chain of incremental snapshots: what each point stores, and what deleting
//! points frees. A chain's first point stores the disk's used data; each later point the
//! data changed since the point before it, `used × (1 − (1 − churn)^days)`. Deleting a
//! point folds its changes into the next kept point, whose delta then spans both gaps.

/// Seconds in a day.
pub const DAY_SECS: f64 = 86_400.0;

/// The fraction of a disk's used data changed in `days` at `daily_churn` (a fraction of
/// the used data per day): `1 − (1 − churn)^days`. Overlapping changes count once, so
/// two gaps together change less than the sum of each.
pub fn changed_fraction(daily_churn: f64, days: f64) -> f64 {
    let churn = daily_churn.clamp(0.0, 1.0);
    1.0 - (1.0 - churn).powf(days.max(0.0))
}

/// Days between two Unix times.
pub fn days_between(earlier_unix: i64, later_unix: i64) -> f64 {
    (later_unix - earlier_unix) as f64 / DAY_SECS
}

/// GiB each point of a chain stores (times oldest first): the first the used data, each
/// later one the data changed since the previous point.
pub fn point_sizes(times_unix: &[i64], used_gib: f64, daily_churn: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(times_unix.len());
    for (i, t) in times_unix.iter().enumerate() {
        out.push(match i {
            0 => used_gib,
            _ => used_gib * changed_fraction(daily_churn, days_between(times_unix[i - 1], *t)),
        });
    }
    out
}

/// GiB a whole chain stores.
pub fn chain_gib(times_unix: &[i64], used_gib: f64, daily_churn: f64) -> f64 {
    point_sizes(times_unix, used_gib, daily_churn).iter().sum()
}

/// GiB freed by deleting the points for which `deleted(i)` holds (times oldest first):
/// the chain before, less the chain of the points kept.
pub fn freed_by_deleting(
    times_unix: &[i64],
    deleted: impl Fn(usize) -> bool,
    used_gib: f64,
    daily_churn: f64,
) -> f64 {
    let kept: Vec<i64> = times_unix
        .iter()
        .enumerate()
        .filter(|(i, _)| !deleted(*i))
        .map(|(_, t)| *t)
        .collect();
    if kept.len() == times_unix.len() {
        return 0.0;
    }
    (chain_gib(times_unix, used_gib, daily_churn) - chain_gib(&kept, used_gib, daily_churn))
        .max(0.0)
}

/// A chain indexed for fast questions about its newest points: the size of the chain
/// from any point to the newest, in constant time.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChainIndex {
    /// `tail[j]`: changed fractions summed over the gaps after point `j`.
    tail: Vec<f64>,
}

impl ChainIndex {
    /// Indexes `times_unix` (oldest first), reusing this index's memory.
    pub(crate) fn rebuild(&mut self, times_unix: &[i64], daily_churn: f64) {
        self.tail.clear();
        self.tail.resize(times_unix.len(), 0.0);
        for j in (0..times_unix.len().saturating_sub(1)).rev() {
            let gap = days_between(times_unix[j], times_unix[j + 1]);
            self.tail[j] = self.tail[j + 1] + changed_fraction(daily_churn, gap);
        }
    }

    /// The chain from point `j` to the newest, in units of the used data (`0` when `j`
    /// is past the newest point).
    pub(crate) fn from(&self, j: usize) -> f64 {
        self.tail.get(j).map_or(0.0, |t| 1.0 + t)
    }
}
