//! A policy projected month by month: from the points retained today, through the
//! clean-up the policy implies and the points it adds, to the steady state where only
//! its own points are kept. A chain's size is its first kept point's used data plus the
//! changed data of every later gap, so the retained set at any time is a run of today's
//! newest points followed by the policy's regularly spaced ones.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::chain::{ChainIndex, DAY_SECS, changed_fraction};
use super::estate::{CostEstate, Estimate, Scope};
use super::money::Amount;
use super::policy::{Policy, Retention};
use super::prices::PriceBook;

/// Days in an average month (365.25 / 12).
pub const MONTH_DAYS: f64 = 365.25 / 12.0;
/// Months projected.
pub const MONTHS: usize = 12;
/// Samples per month (the plot's resolution; a month's figure averages them).
pub const SAMPLES_PER_MONTH: usize = 4;

/// What the plot stacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StackBy {
    /// One band per VM (or per collection without a VM).
    #[default]
    Vm,
    /// One band per source disk.
    Disk,
}

/// One stacked band.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// What it is (a VM or "vm · disk"; "Other" for the rest).
    pub label: String,
    /// Monthly cost at each sample.
    pub money: Vec<f64>,
    /// Retained GiB at each sample.
    pub gib: Vec<f64>,
}

/// Extra storage instant access adds under a policy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InstantAccessEstimate {
    /// Disks whose new points get instant access.
    pub disks: usize,
    /// GB-months of instant access storage per month (the data changed during each
    /// window, half of it on average, for the window's length).
    pub gib_months_per_month: f64,
    /// Its cost per month, when every region's price list has an instant access row.
    pub money: Option<f64>,
}

/// A policy projected over [`MONTHS`] months.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Projection {
    /// Sample times in months from now (0, 0.25 … 12).
    pub x_months: Vec<f64>,
    /// Stacked bands, largest first; the last may gather the rest as "Other".
    pub series: Vec<Series>,
    /// The total at each sample.
    pub total: Vec<Amount>,
    /// `[0]`: today as retained; `[m]`: month m (the average of its samples).
    pub monthly: Vec<Amount>,
    /// Once only the policy's points are kept.
    pub steady: Amount,
    /// Days until then (keep-count × interval, or keep-days).
    pub steady_after_days: f64,
    /// Instant access storage, when the policy turns it on.
    pub instant_access: Option<InstantAccessEstimate>,
}

/// The difference between two projections (A − B).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Per month, once both are steady.
    pub per_month: f64,
    /// Over the first twelve months.
    pub first_year: f64,
}

/// Which of today's points a collection keeps at a time, and the policy's points kept.
#[derive(Clone, Copy, Debug)]
struct Kept {
    /// Today's points at or after this time are kept.
    existing_from: i64,
    /// The policy's points kept.
    new_points: usize,
    /// When the oldest kept policy point is taken (Unix seconds).
    first_new: f64,
}

/// What a collection keeps at `t` under `policy` (`t == now`: everything, as today).
fn kept_at(times: &[i64], live: bool, policy: &Policy, now: i64, t: i64) -> Kept {
    if t <= now {
        return Kept {
            existing_from: i64::MIN,
            new_points: 0,
            first_new: 0.0,
        };
    }
    let step = policy.interval_days() * DAY_SECS;
    let start = times
        .last()
        .map_or(now as f64, |last| (*last as f64 + step).max(now as f64));
    let made = if live && t as f64 >= start {
        ((t as f64 - start) / step).floor() as usize + 1
    } else {
        0
    };
    match policy.retention {
        Retention::Count(n) => {
            let n = n as usize;
            let new_points = made.min(n);
            let existing_from = if made >= n {
                i64::MAX
            } else {
                let left = n - made;
                if left >= times.len() {
                    i64::MIN
                } else {
                    times[times.len() - left]
                }
            };
            Kept {
                existing_from,
                new_points,
                first_new: start + (made - new_points) as f64 * step,
            }
        }
        Retention::Days(d) => {
            let cutoff = t as f64 - f64::from(d) * DAY_SECS;
            let skipped = (((cutoff - start) / step).ceil().max(0.0) as usize).min(made);
            Kept {
                existing_from: cutoff.ceil() as i64,
                new_points: made - skipped,
                first_new: start + skipped as f64 * step,
            }
        }
    }
}

/// Calls `each(family, sample, amount)` for every family in `scope` at each of `samples`
/// (Unix seconds): what the family retains then under `policy`.
fn each_family_sample(
    estate: &CostEstate,
    est: &Estimate,
    scope: &Scope,
    policy: &Policy,
    now: i64,
    samples: &[i64],
    mut each: impl FnMut(usize, usize, Amount),
) {
    let step_days = policy.interval_days();
    let mut times: Vec<i64> = Vec::new();
    let mut kept: Vec<Option<Vec<Kept>>> = vec![None; estate.collections.len()];
    for (ci, c) in estate.collections.iter().enumerate() {
        if !scope.includes(c) {
            continue;
        }
        times.clear();
        times.extend(
            estate.collection_points[ci]
                .iter()
                .map(|p| estate.points[*p].time_unix),
        );
        kept[ci] = Some(
            samples
                .iter()
                .map(|t| kept_at(&times, c.live, policy, now, *t))
                .collect(),
        );
    }
    let mut index = ChainIndex::default();
    for (fi, f) in estate.families.iter().enumerate() {
        let Some(states) = &kept[f.collection] else {
            continue;
        };
        let churn = est.churn[fi];
        let used = est.used_gib[fi];
        let price = est.price[f.collection];
        let times = &f.times;
        index.rebuild(times, churn);
        let grows = f.attached && !policy.excluded_disks.contains(&f.disk_key);
        let gap = changed_fraction(churn, step_days);
        let last = times.last().copied().unwrap_or_default() as f64;
        for (si, k) in states.iter().enumerate() {
            let j = times.partition_point(|t| *t < k.existing_from);
            let new_points = if grows { k.new_points } else { 0 };
            let existing = index.from(j);
            let units = match (j < times.len(), new_points) {
                (_, 0) => existing,
                (true, n) => {
                    existing
                        + changed_fraction(churn, (k.first_new - last) / DAY_SECS)
                        + (n - 1) as f64 * gap
                }
                (false, n) => 1.0 + (n - 1) as f64 * gap,
            };
            each(fi, si, Amount::priced(used * units, price));
        }
    }
}

/// The total retained in `scope` at each of `samples` (Unix seconds) under `policy`;
/// a sample at or before `now` is today's retained set.
pub fn retained_at(
    estate: &CostEstate,
    est: &Estimate,
    scope: &Scope,
    policy: &Policy,
    now_unix: i64,
    samples: &[i64],
) -> Vec<Amount> {
    let mut total = vec![Amount::default(); samples.len()];
    each_family_sample(estate, est, scope, policy, now_unix, samples, |_, si, a| {
        total[si] += a
    });
    total
}

/// The band of every family in `scope` under `stack`, and the bands' labels.
fn bands(estate: &CostEstate, scope: &Scope, stack: StackBy) -> (Vec<Option<usize>>, Vec<String>) {
    let mut of_family = vec![None; estate.families.len()];
    let mut labels: Vec<String> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (fi, f) in estate.families.iter().enumerate() {
        let c = &estate.collections[f.collection];
        if !scope.includes(c) {
            continue;
        }
        let band = match stack {
            StackBy::Vm => {
                let (key, label) = if c.vm_key.is_empty() {
                    (c.id.as_str(), &c.name)
                } else {
                    (c.vm_key.as_str(), &c.vm_name)
                };
                *by_key.entry(key).or_insert_with(|| {
                    labels.push(label.clone());
                    labels.len() - 1
                })
            }
            StackBy::Disk => {
                labels.push(format!("{} · {}", c.vm_name, f.disk_name));
                labels.len() - 1
            }
        };
        of_family[fi] = Some(band);
    }
    (of_family, labels)
}

/// Projects `policy` over `scope` for [`MONTHS`] months from `now_unix`, stacked by
/// `stack` into at most `max_series` bands (the largest at steady state; the rest as
/// "Other").
#[allow(clippy::too_many_arguments)]
pub fn project(
    estate: &CostEstate,
    est: &Estimate,
    prices: &PriceBook,
    scope: &Scope,
    policy: &Policy,
    now_unix: i64,
    stack: StackBy,
    max_series: usize,
) -> Projection {
    let count = MONTHS * SAMPLES_PER_MONTH + 1;
    let x_months: Vec<f64> = (0..count)
        .map(|i| i as f64 / SAMPLES_PER_MONTH as f64)
        .collect();
    let samples: Vec<i64> = x_months
        .iter()
        .map(|m| now_unix + (m * MONTH_DAYS * DAY_SECS).round() as i64)
        .collect();
    let steady_after_days = policy.steady_after_days();
    let steady_at =
        now_unix + ((steady_after_days + 2.0 * policy.interval_days()) * DAY_SECS) as i64;

    // First the steady state, which ranks the bands; then every sample.
    let run = |at: &[i64], each: &mut dyn FnMut(usize, usize, Amount)| {
        each_family_sample(estate, est, scope, policy, now_unix, at, each)
    };
    let (band_of, labels) = bands(estate, scope, stack);
    let mut weight = vec![0.0; labels.len()];
    let mut steady = Amount::default();
    run(&[steady_at], &mut |fi, _, a| {
        steady += a;
        if let Some(b) = band_of[fi] {
            weight[b] += a.money + a.gib * 1e-9;
        }
    });
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|a, b| {
        weight[*b]
            .total_cmp(&weight[*a])
            .then(labels[*a].cmp(&labels[*b]))
    });
    let max_series = max_series.max(1);
    let shown = if order.len() > max_series {
        max_series - 1
    } else {
        order.len()
    };
    // Band → its series; bands past `shown` go to "Other", the last series.
    let mut series_of = vec![shown; labels.len()];
    for (rank, b) in order.iter().take(shown).enumerate() {
        series_of[*b] = rank;
    }
    let mut sums = vec![vec![Amount::default(); count]; shown + usize::from(order.len() > shown)];
    let mut total = vec![Amount::default(); count];
    run(&samples, &mut |fi, si, a| {
        total[si] += a;
        if let Some(b) = band_of[fi] {
            sums[series_of[b]][si] += a;
        }
    });
    let series = sums
        .into_iter()
        .enumerate()
        .map(|(i, v)| Series {
            label: order
                .get(i)
                .filter(|_| i < shown)
                .map_or_else(|| "Other".to_owned(), |b| labels[*b].clone()),
            money: v.iter().map(|a| a.money).collect(),
            gib: v.iter().map(|a| a.gib).collect(),
        })
        .collect();
    let mut monthly = vec![total.first().copied().unwrap_or_default()];
    for m in 1..=MONTHS {
        let window = &total[(m - 1) * SAMPLES_PER_MONTH + 1..=m * SAMPLES_PER_MONTH];
        let sum: Amount = window.iter().copied().sum();
        let n = window.len() as f64;
        monthly.push(Amount {
            gib: sum.gib / n,
            money: sum.money / n,
        });
    }
    Projection {
        x_months,
        series,
        total,
        monthly,
        steady,
        steady_after_days,
        instant_access: instant_access(estate, est, prices, scope, policy),
    }
}

/// Instant access storage under `policy`: per eligible disk, half the data changed during
/// the window, held for the window, for each point.
fn instant_access(
    estate: &CostEstate,
    est: &Estimate,
    prices: &PriceBook,
    scope: &Scope,
    policy: &Policy,
) -> Option<InstantAccessEstimate> {
    if !policy.instant_access {
        return None;
    }
    let step = policy.interval_days();
    let window = (f64::from(policy.instant_access_minutes) / 1440.0).min(step);
    let mut out = InstantAccessEstimate {
        money: Some(0.0),
        ..Default::default()
    };
    for (fi, f) in estate.families.iter().enumerate() {
        let c = &estate.collections[f.collection];
        let eligible = f.instant_access_eligible()
            && f.attached
            && !policy.excluded_disks.contains(&f.disk_key);
        if !eligible || !scope.includes(c) {
            continue;
        }
        let gib_months =
            est.used_gib[fi] * changed_fraction(est.churn[fi], window) / 2.0 * window / step;
        out.disks += 1;
        out.gib_months_per_month += gib_months;
        out.money = match (out.money, prices.instant_access_price(&c.region)) {
            (Some(m), Some(p)) => Some(m + gib_months * p),
            _ => None,
        };
    }
    Some(out)
}

/// A − B: per month once both are steady, and over the first twelve months.
pub fn compare(a: &Projection, b: &Projection) -> Comparison {
    let year = |p: &Projection| p.monthly.iter().skip(1).map(|m| m.money).sum::<f64>();
    Comparison {
        per_month: a.steady.money - b.steady.money,
        first_year: year(a) - year(b),
    }
}
