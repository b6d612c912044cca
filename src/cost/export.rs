//! Every table and series of the cost views as CSV tables: sizes in GiB and money as
//! plain numbers with the currency in its own column, so a spreadsheet can sum them.

use super::estate::{CostEstate, Estimate, Named, Rollup};
use super::model::CostModel;
use super::policy::Cleanup;
use super::projection::Projection;
use crate::csv::Table;
use crate::model::Timestamp;

/// Text fit for a file name: ASCII letters, digits and `-`; anything else becomes `-`.
pub fn file_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Every table a cost view exports, as (what it is, the file name part naming it).
pub const TABLES: &[(&str, &str)] = &[
    ("Collections", "collections"),
    ("Restore points", "points"),
    ("Disk restore points", "disk-points"),
    ("Totals by VM, group, subscription, region", "totals"),
    ("Policies A and B, month by month", "policies"),
    ("Policy A projection, by band", "projection-a"),
    ("Policy B projection, by band", "projection-b"),
    ("Points a clean-up to policy A would delete", "cleanup-a"),
    ("Points a clean-up to policy B would delete", "cleanup-b"),
];

/// The table of a view's figures that `part` (of [`TABLES`]) names.
pub fn table(part: &str, estate: &CostEstate, model: &CostModel) -> Option<Table> {
    let currency = &model.inputs.prices.currency;
    let r = &model.rollup;
    let [a, b] = &model.projections;
    Some(match part {
        "collections" => collections_table(estate, r, currency),
        "points" => points_table(estate, r, currency),
        "disk-points" => disk_points_table(estate, &model.estimate, r, currency),
        "totals" => levels_table(r, currency),
        "policies" => comparison_table(a, b, currency),
        "projection-a" => series_table(a, currency),
        "projection-b" => series_table(b, currency),
        "cleanup-a" => cleanup_table(estate, &model.cleanups[0], r),
        "cleanup-b" => cleanup_table(estate, &model.cleanups[1], r),
        _ => return None,
    })
}

fn num(v: f64) -> String {
    format!("{v:.4}")
}

/// Every disk restore point in the rollup's scope with its estimated size and cost.
pub fn disk_points_table(
    estate: &CostEstate,
    est: &Estimate,
    rollup: &Rollup,
    currency: &str,
) -> Table {
    let mut t = Table::new(&[
        "subscription",
        "resource_group",
        "collection",
        "vm",
        "restore_point",
        "time_created",
        "disk",
        "disk_restore_point",
        "gib",
        "per_month",
        "currency",
    ]);
    for ci in sorted(&rollup.collections) {
        let c = &estate.collections[ci];
        for (fi, f) in estate.families.iter().enumerate() {
            if f.collection != ci {
                continue;
            }
            for (pos, p) in f.points.iter().enumerate() {
                let point = &estate.points[*p];
                let a = est.disk_point(estate, fi, pos);
                t.push(vec![
                    c.subscription_id.clone(),
                    c.resource_group.clone(),
                    c.name.clone(),
                    c.vm_name.clone(),
                    point.name().to_owned(),
                    Timestamp::from_unix_secs(point.time_unix).to_rfc3339(),
                    f.disk_name.clone(),
                    format!(
                        "{}/diskRestorePoints/{}",
                        point.id,
                        f.disk_restore_point(pos)
                    ),
                    num(a.gib),
                    num(a.money),
                    currency.to_owned(),
                ]);
            }
        }
    }
    t
}

fn sorted(indices: &[usize]) -> Vec<usize> {
    let mut v = indices.to_vec();
    v.sort_unstable();
    v
}

/// Every restore point in the rollup's scope (its disks summed).
pub fn points_table(estate: &CostEstate, rollup: &Rollup, currency: &str) -> Table {
    let mut t = Table::new(&[
        "collection",
        "vm",
        "restore_point",
        "time_created",
        "gib",
        "per_month",
        "share_of_collection",
        "currency",
    ]);
    for ci in sorted(&rollup.collections) {
        let c = &estate.collections[ci];
        let whole = rollup.by_collection[ci].money;
        for p in &estate.collection_points[ci] {
            let a = rollup.by_point[*p];
            let share = if whole > 0.0 { a.money / whole } else { 0.0 };
            t.push(vec![
                c.name.clone(),
                c.vm_name.clone(),
                estate.points[*p].name().to_owned(),
                Timestamp::from_unix_secs(estate.points[*p].time_unix).to_rfc3339(),
                num(a.gib),
                num(a.money),
                num(share),
                currency.to_owned(),
            ]);
        }
    }
    t
}

/// Collections in the rollup's scope, most expensive first.
pub fn collections_table(estate: &CostEstate, rollup: &Rollup, currency: &str) -> Table {
    let mut t = Table::new(&[
        "collection",
        "vm",
        "resource_group",
        "subscription",
        "region",
        "points",
        "gib",
        "per_month",
        "currency",
    ]);
    for ci in &rollup.collections {
        let c = &estate.collections[*ci];
        let a = rollup.by_collection[*ci];
        t.push(vec![
            c.name.clone(),
            c.vm_name.clone(),
            c.resource_group.clone(),
            c.subscription_id.clone(),
            c.region.clone(),
            estate.collection_points[*ci].len().to_string(),
            num(a.gib),
            num(a.money),
            currency.to_owned(),
        ]);
    }
    t
}

/// Totals per VM, resource group, subscription and region.
pub fn levels_table(rollup: &Rollup, currency: &str) -> Table {
    let mut t = Table::new(&["level", "name", "points", "gib", "per_month", "currency"]);
    let levels: [(&str, &[Named]); 4] = [
        ("vm", &rollup.by_vm),
        ("resource_group", &rollup.by_group),
        ("subscription", &rollup.by_subscription),
        ("region", &rollup.by_region),
    ];
    for (level, rows) in levels {
        for n in rows {
            t.push(vec![
                level.to_owned(),
                n.label.clone(),
                n.points.to_string(),
                num(n.amount.gib),
                num(n.amount.money),
                currency.to_owned(),
            ]);
        }
    }
    t.push(vec![
        "total".into(),
        String::new(),
        rollup.points.to_string(),
        num(rollup.total.gib),
        num(rollup.total.money),
        currency.to_owned(),
    ]);
    t
}

/// Two policies month by month (month 0 is today), with their difference.
pub fn comparison_table(a: &Projection, b: &Projection, currency: &str) -> Table {
    let mut t = Table::new(&[
        "month",
        "policy_a_gib",
        "policy_a_per_month",
        "policy_b_gib",
        "policy_b_per_month",
        "difference_per_month",
        "currency",
    ]);
    for (m, (x, y)) in a.monthly.iter().zip(&b.monthly).enumerate() {
        t.push(vec![
            m.to_string(),
            num(x.gib),
            num(x.money),
            num(y.gib),
            num(y.money),
            num(x.money - y.money),
            currency.to_owned(),
        ]);
    }
    t.push(vec![
        "steady".into(),
        num(a.steady.gib),
        num(a.steady.money),
        num(b.steady.gib),
        num(b.steady.money),
        num(a.steady.money - b.steady.money),
        currency.to_owned(),
    ]);
    t
}

/// A projection's stacked series at every sample, one column per band.
pub fn series_table(p: &Projection, currency: &str) -> Table {
    let mut header: Vec<String> = vec!["months_from_now".into()];
    header.extend(
        p.series
            .iter()
            .map(|s| format!("{} ({currency}/month)", s.label)),
    );
    header.push(format!("total ({currency}/month)"));
    header.push("total_gib".into());
    let mut t = Table {
        header,
        rows: Vec::new(),
    };
    for (i, x) in p.x_months.iter().enumerate() {
        let mut row = vec![format!("{x:.2}")];
        row.extend(p.series.iter().map(|s| num(s.money[i])));
        let total = p.total.get(i).copied().unwrap_or_default();
        row.push(num(total.money));
        row.push(num(total.gib));
        t.push(row);
    }
    t
}

/// The points a clean-up would delete.
pub fn cleanup_table(estate: &CostEstate, cleanup: &Cleanup, rollup: &Rollup) -> Table {
    let mut t = Table::new(&["collection", "vm", "restore_point", "time_created", "gib"]);
    for p in &cleanup.points {
        let point = &estate.points[*p];
        let c = &estate.collections[point.collection];
        t.push(vec![
            c.name.clone(),
            c.vm_name.clone(),
            point.name().to_owned(),
            Timestamp::from_unix_secs(point.time_unix).to_rfc3339(),
            num(rollup.by_point[*p].gib),
        ]);
    }
    t
}
