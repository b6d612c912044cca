//! Hand-computed cases for the cost model. Every expected figure is worked out in the
//! comment beside it.

use std::collections::HashSet;

use super::*;
use crate::model::RetailPrice;
use crate::rules::Mode;

const DAY: i64 = 86_400;
const NOW: i64 = 1_795_309_200;

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

/// One collection (region `eastus`, VM `vm1` live with its disks attached) whose disks
/// were captured at `times`.
fn estate(disks: &[(&str, f64, &str)], times: &[i64]) -> CostEstate {
    let mut b = CostEstateBuilder::default();
    let c = b.collection(CollectionInfo {
        id: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/restorePointCollections/rpc1".into(),
        name: "rpc1".into(),
        vm_key: "vm1".into(),
        vm_name: "vm1".into(),
        resource_group: "rg1".into(),
        subscription_id: "s1".into(),
        region: "East US".into(),
        live: true,
        attached_disks: disks.iter().map(|d| d.0.to_owned()).collect(),
    });
    for (i, t) in times.iter().enumerate() {
        let drps: Vec<String> = disks
            .iter()
            .map(|(key, ..)| format!("drp-{key}-{i}"))
            .collect();
        let captured = disks
            .iter()
            .zip(&drps)
            .map(|((key, size, sku), drp)| CapturedDisk {
                disk_key: key,
                disk_name: key,
                provisioned_gib: *size,
                storage_type: sku,
                disk_restore_point: drp.into(),
            });
        b.point(
            c,
            &format!("/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/restorePointCollections/rpc1/restorePoints/p{i}"),
            *t,
            captured,
        );
    }
    b.finish()
}

fn daily(count: i64, last: i64) -> Vec<i64> {
    (0..count).map(|i| last - (count - 1 - i) * DAY).collect()
}

fn fleet(used_fraction: f64, daily_churn: f64) -> AssumptionSet {
    AssumptionSet {
        fleet: Assumptions {
            used_fraction,
            daily_churn,
        },
        ..Default::default()
    }
}

/// A price book with one price for `eastus`.
fn book(per_gib_month: f64) -> PriceBook {
    let row = |sku: &str| RetailPrice {
        currency_code: "USD".into(),
        retail_price: per_gib_month,
        arm_region_name: "eastus".into(),
        product_name: SNAPSHOT_PRODUCT.into(),
        sku_name: sku.into(),
        unit_of_measure: "1 GB/Month".into(),
        kind: "Consumption".into(),
        ..Default::default()
    };
    PriceBook::from_items(
        &[row(SNAPSHOT_SKU_LRS), row(SNAPSHOT_SKU_ZRS)],
        "USD",
        PriceSource::Embedded,
    )
}

/// `policy` projected over the whole estate at $0.05 per GB-month.
fn project_fleet(
    e: &CostEstate,
    est: &Estimate,
    policy: &Policy,
    stack: StackBy,
    max_series: usize,
) -> Projection {
    project(
        e,
        est,
        &book(0.05),
        &Scope::Fleet,
        policy,
        NOW,
        stack,
        max_series,
    )
}

#[test]
fn changed_fraction_compounds_daily_churn() {
    // (churn, days, 1 − (1 − churn)^days)
    let cases = [
        (0.03, 1.0, 0.03),
        (0.03, 2.0, 0.0591), // 1 − 0.97² = 1 − 0.9409
        (0.03, 0.0, 0.0),
        (0.5, 3.0, 0.875), // 1 − 0.125
        (0.0, 10.0, 0.0),
        (1.0, 0.5, 1.0),
        (0.03, -1.0, 0.0), // a clock skew is no change, not negative storage
    ];
    for (churn, days, expected) in cases {
        let got = changed_fraction(churn, days);
        assert!(close(got, expected, 1e-12), "{churn} × {days} d: {got}");
    }
}

/// A chain case: provisioned GiB, used fraction, churn, point times, $/GB-month, and the
/// expected GiB and $/month.
type Case = (f64, f64, f64, Vec<i64>, f64, f64, f64);

#[test]
fn retained_size_and_monthly_cost_of_a_chain() {
    // (provisioned GiB, used fraction, churn, point times, $/GB-month, GiB, $/month)
    let cases: [Case; 4] = [
        // The case: 1 TiB used, 3 %/day, 30 daily points at $0.05:
        // 1024 + 29 × 1024 × 0.03 = 1024 + 890.88 = 1914.88 GiB ≈ 1.9 TB; × 0.05 = $95.744.
        (1024.0, 1.0, 0.03, daily(30, NOW), 0.05, 1914.88, 95.744),
        // 200 GiB at 50 % used = 100; 3 points 2 days apart at 5 %: 100 + 2 × 100 × (1 − 0.95²)
        // = 100 + 2 × 9.75 = 119.5 GiB; × 0.10 = $11.95.
        (
            200.0,
            0.5,
            0.05,
            vec![NOW - 4 * DAY, NOW - 2 * DAY, NOW],
            0.10,
            119.5,
            11.95,
        ),
        // One point stores the used data: 500 × 0.6 = 300 GiB; × 0.05 = $15.
        (500.0, 0.6, 0.03, vec![NOW], 0.05, 300.0, 15.0),
        // Two points an hour apart at 2.4 %/day: 100 + 100 × (1 − 0.976^(1/24)) = 100.1012 GiB.
        (
            100.0,
            1.0,
            0.024,
            vec![NOW - 3600, NOW],
            1.0,
            100.101_216,
            100.101_216,
        ),
    ];
    for (size, used, churn, times, price, gib, money) in cases {
        let e = estate(&[("d1", size, "Premium_LRS")], &times);
        let est = estimate(&e, &fleet(used, churn), &book(price));
        let total = rollup(&e, &est, &Scope::Fleet).total;
        assert!(close(total.gib, gib, 1e-4), "{size} GiB: {} GiB", total.gib);
        assert!(
            close(total.money, money, 1e-4),
            "{size} GiB: {}",
            total.money
        );
    }
    assert_eq!(format_gib(1914.88), "1.9 TiB");
    assert_eq!(format_money(95.744, "USD"), "$95.74");
}

#[test]
fn deleting_a_middle_point_frees_less_than_its_own_delta() {
    // 30 daily points of 1024 GiB used at 3 %/day: each later point stores 30.72 GiB.
    let times = daily(30, NOW);
    let sizes = point_sizes(&times, 1024.0, 0.03);
    assert!(close(sizes[15], 30.72, 1e-9));
    // (deleted, GiB freed)
    let cases: [(Vec<usize>, f64); 5] = [
        // A middle point: its two 1-day gaps become one 2-day gap:
        // 1024 × (0.03 + 0.03 − 0.0591) = 1024 × 0.0009 = 0.9216 GiB, far below 30.72.
        (vec![15], 0.9216),
        // The oldest: the next point now stores the used data; what goes is its delta.
        (vec![0], 30.72),
        // The newest: nothing follows it, so its whole delta goes.
        (vec![29], 30.72),
        // Two neighbours in the middle: three 1-day gaps become one 3-day gap:
        // 1024 × (0.09 − (1 − 0.97³)) = 1024 × (0.09 − 0.087327) = 2.737152 GiB.
        (vec![10, 11], 2.737_152),
        // Everything: the whole chain.
        ((0..30).collect(), 1914.88),
    ];
    for (deleted, freed) in cases {
        let got = freed_by_deleting(&times, |i| deleted.contains(&i), 1024.0, 0.03);
        assert!(close(got, freed, 1e-6), "{deleted:?}: {got}");
    }
    let middle = freed_by_deleting(&times, |i| i == 15, 1024.0, 0.03);
    assert!(middle < sizes[15]);

    // The same through the estate, priced: a middle point of the disk.
    let e = estate(&[("d1", 1024.0, "Premium_LRS")], &times);
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    let freed = freed_by_deleting_points(&e, &est, &HashSet::from([15]));
    assert!(close(freed.gib, 0.9216, 1e-6) && close(freed.money, 0.046_08, 1e-6));
    let own = rollup(&e, &est, &Scope::Fleet).by_point[15];
    assert!(freed.gib < own.gib && close(own.gib, 30.72, 1e-9));
}

#[test]
fn a_projection_reaches_steady_state_after_keep_count_times_interval() {
    // 100 GiB used at 3 %/day; today's 10 points are 6 h apart, the last 2 days ago (the
    // schedule lapsed, so the policy's first daily point is taken now).
    let times: Vec<i64> = (0..10).map(|i| NOW - 2 * DAY - (9 - i) * DAY / 4).collect();
    let e = estate(&[("d1", 100.0, "Premium_LRS")], &times);
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    let policy = Policy {
        every_hours: 24,
        retention: Retention::Count(7),
        ..Default::default()
    };
    assert_eq!(policy.steady_after_days(), 7.0, "7 points × 1 day");
    // At +5 d: 6 new points, and the newest of today's is still kept, 2 days before them:
    //   100 × (1 + (1 − 0.97²) + 5 × 0.03) = 100 × 1.2091 = 120.91 GiB.
    // From +6 d on (and so by keep-count × interval, +7 d), only the policy's 7 points:
    //   100 × (1 + 6 × 0.03) = 118 GiB.
    let samples = [NOW + 5 * DAY, NOW + 6 * DAY, NOW + 7 * DAY, NOW + 40 * DAY];
    let got = retained_at(&e, &est, &Scope::Fleet, &policy, NOW, &samples);
    let expected = [120.91, 118.0, 118.0, 118.0];
    for (g, x) in got.iter().zip(expected) {
        assert!(close(g.gib, x, 1e-9), "{got:?}");
    }
    let p = project_fleet(&e, &est, &policy, StackBy::Disk, 8);
    assert!(close(p.steady.gib, 118.0, 1e-9) && close(p.steady.money, 5.9, 1e-9));
    // Today: 100 + 9 × 100 × (1 − 0.97^0.25) = 100 + 9 × 0.758574 = 106.8272 GiB.
    assert!(
        close(p.monthly[0].gib, 106.827_2, 1e-3),
        "{:?}",
        p.monthly[0]
    );
    assert!(p.monthly[1..].iter().all(|m| close(m.gib, 118.0, 1e-9)));
    assert_eq!(p.x_months.len(), MONTHS * SAMPLES_PER_MONTH + 1);
}

#[test]
fn keep_days_keeps_the_points_younger_than_the_window() {
    // Daily points, kept 7 days: 8 points once steady (day −7 … 0), used 100, 3 %/day:
    // 100 × (1 + 7 × 0.03) = 121 GiB.
    let e = estate(&[("d1", 100.0, "Premium_LRS")], &daily(30, NOW - DAY));
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    let policy = Policy {
        retention: Retention::Days(7),
        ..Default::default()
    };
    let got = retained_at(&e, &est, &Scope::Fleet, &policy, NOW, &[NOW + 30 * DAY]);
    assert!(close(got[0].gib, 121.0, 1e-6), "{got:?}");
    assert_eq!(policy.points_kept(), 8);
}

#[test]
fn a_clean_up_to_a_policy_deletes_what_it_would_not_keep() {
    let e = estate(&[("d1", 1024.0, "Premium_LRS")], &daily(30, NOW));
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    // (retention, points deleted, GiB freed)
    let cases = [
        // Keep 7 of 30: 23 go; the chain falls from 1 + 29 × 0.03 to 1 + 6 × 0.03 of the used
        // data: 1024 × 0.69 = 706.56 GiB.
        (Retention::Count(7), 23, 706.56),
        // Keep 7 days: points older than now − 7 d go (day −29 … −8): 22; 8 stay:
        // 1024 × 22 × 0.03 = 675.84 GiB.
        (Retention::Days(7), 22, 675.84),
        // Keep more than there is: nothing goes.
        (Retention::Count(40), 0, 0.0),
    ];
    for (retention, deleted, freed) in cases {
        let policy = Policy {
            retention,
            ..Default::default()
        };
        let c = cleanup(&e, &est, &Scope::Fleet, &policy, NOW);
        assert_eq!(c.points.len(), deleted, "{retention:?}");
        assert!(
            close(c.freed.gib, freed, 1e-6),
            "{retention:?}: {}",
            c.freed.gib
        );
        assert_eq!(c.collections, usize::from(deleted > 0));
    }
}

#[test]
fn two_policies_differ_per_month_and_per_year() {
    // 1000 GiB used at 2 %/day, $0.05: keep 30 daily vs keep 7 daily, once steady:
    // 1000 × (29 − 6) × 0.02 × 0.05 = $23 a month.
    let e = estate(&[("d1", 1000.0, "Premium_LRS")], &daily(30, NOW - DAY));
    let est = estimate(&e, &fleet(1.0, 0.02), &book(0.05));
    let run = |retention| {
        let policy = Policy {
            retention,
            ..Default::default()
        };
        project_fleet(&e, &est, &policy, StackBy::Vm, 8)
    };
    let (a, b) = (run(Retention::Count(30)), run(Retention::Count(7)));
    let diff = compare(&a, &b);
    assert!(close(diff.per_month, 23.0, 1e-9), "{diff:?}");
    // Both are steady from the first month on (today's chain is already daily), so the
    // year is twelve times the month.
    assert!(close(diff.first_year, 12.0 * 23.0, 1e-6), "{diff:?}");
}

#[test]
fn stacked_series_add_up_to_the_total_and_gather_the_rest() {
    let e = estate(
        &[
            ("os", 128.0, "Premium_LRS"),
            ("data1", 1024.0, "Premium_LRS"),
            ("data2", 512.0, "PremiumV2_LRS"),
        ],
        &daily(10, NOW),
    );
    let est = estimate(&e, &AssumptionSet::default(), &book(0.05));
    let p = project(
        &e,
        &est,
        &book(0.05),
        &Scope::Fleet,
        &Policy::default(),
        NOW,
        StackBy::Disk,
        2,
    );
    assert_eq!(p.series.len(), 2);
    assert_eq!(p.series[0].label, "vm1 · data1", "the largest disk first");
    assert_eq!(p.series[1].label, "Other");
    for i in 0..p.x_months.len() {
        let sum: f64 = p.series.iter().map(|s| s.money[i]).sum();
        assert!(close(sum, p.total[i].money, 1e-9));
    }
}

#[test]
fn excluded_disks_stop_growing_and_instant_access_is_priced_only_when_listed() {
    let e = estate(
        &[
            ("os", 100.0, "Premium_LRS"),
            ("fast", 100.0, "PremiumV2_LRS"),
        ],
        &daily(3, NOW - DAY),
    );
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    let mut policy = Policy {
        retention: Retention::Count(3),
        ..Default::default()
    };
    policy.excluded_disks.insert("fast".into());
    // After 3 new points only they are kept: the OS disk 100 × 1.06 = 106 GiB; the excluded
    // disk's old points are gone and it gets no new ones.
    let got = retained_at(&e, &est, &Scope::Fleet, &policy, NOW, &[NOW + 10 * DAY]);
    assert!(close(got[0].gib, 106.0, 1e-9), "{got:?}");

    policy.excluded_disks.clear();
    policy.instant_access = true;
    policy.instant_access_minutes = 300;
    let p = project_fleet(&e, &est, &policy, StackBy::Vm, 8);
    let ia = p.instant_access.expect("instant access on");
    // Only the Premium SSD v2 disk: 100 × (1 − 0.97^(300/1440)) / 2 × (300/1440) / 1 day.
    let window = 300.0 / 1440.0;
    let expected = 100.0 * changed_fraction(0.03, window) / 2.0 * window;
    assert_eq!(ia.disks, 1);
    assert!(close(ia.gib_months_per_month, expected, 1e-12));
    assert_eq!(ia.money, None, "no instant access row: price unknown");
}

#[test]
fn prices_match_product_and_sku_not_meter_name() {
    let row = |region: &str, product: &str, sku: &str, meter: &str, price: f64| RetailPrice {
        currency_code: "EUR".into(),
        retail_price: price,
        arm_region_name: region.into(),
        product_name: product.into(),
        sku_name: sku.into(),
        meter_name: meter.into(),
        unit_of_measure: "1 GB/Month".into(),
        kind: "Consumption".into(),
        ..Default::default()
    };
    let items = vec![
        // Same meter names under another product: must not be taken.
        row(
            "westeurope",
            "Premium SSD Managed Disks",
            "Snapshots ZRS",
            "ZRS Snapshots",
            0.198,
        ),
        row(
            "westeurope",
            "Standard SSD Managed Disks",
            "Snapshots LRS",
            "Snapshots LRS Snapshots",
            0.132,
        ),
        row(
            "westeurope",
            SNAPSHOT_PRODUCT,
            SNAPSHOT_SKU_ZRS,
            "ZRS Snapshots",
            0.046,
        ),
        row(
            "westeurope",
            SNAPSHOT_PRODUCT,
            SNAPSHOT_SKU_LRS,
            "LRS Snapshots",
            0.046,
        ),
        // Not a consumption price, and a later tier: ignored.
        RetailPrice {
            kind: "Reservation".into(),
            ..row(
                "westeurope",
                SNAPSHOT_PRODUCT,
                SNAPSHOT_SKU_ZRS,
                "ZRS Snapshots",
                0.001,
            )
        },
        RetailPrice {
            tier_minimum_units: 100.0,
            ..row(
                "westeurope",
                SNAPSHOT_PRODUCT,
                SNAPSHOT_SKU_ZRS,
                "ZRS Snapshots",
                0.002,
            )
        },
        // A region with only an LRS row, and one without zones.
        row(
            "uksouth",
            SNAPSHOT_PRODUCT,
            SNAPSHOT_SKU_LRS,
            "LRS Snapshots",
            0.041,
        ),
        row(
            "westus",
            SNAPSHOT_PRODUCT,
            SNAPSHOT_SKU_LRS,
            "LRS Snapshots",
            0.044,
        ),
    ];
    let live = PriceSource::Live {
        endpoint: "https://prices.azure.com".into(),
        fetched_unix: NOW,
    };
    let book = PriceBook::from_items(&items, "eur", live);
    assert_eq!(book.currency, "EUR");
    // (region, price, SKU used, basis)
    let cases = [
        ("West Europe", 0.046, SNAPSHOT_SKU_ZRS, PriceBasis::Listed),
        (
            "uksouth",
            0.041,
            SNAPSHOT_SKU_ZRS,
            PriceBasis::OtherRedundancy,
        ),
        ("westus", 0.044, SNAPSHOT_SKU_LRS, PriceBasis::Listed),
        // Not listed: the cheapest listed region stands in.
        (
            "japaneast",
            0.041,
            SNAPSHOT_SKU_ZRS,
            PriceBasis::StandIn("uksouth".into()),
        ),
    ];
    for (region, price, sku, basis) in cases {
        let used = book.snapshot_price(region);
        assert_eq!(
            (used.per_gib_month, used.sku, used.basis),
            (price, sku, basis),
            "{region}"
        );
    }
    assert!(book.covers(&["westeurope".into(), "westus".into()]));
    assert!(!book.covers(&["japaneast".into()]));
}

#[test]
fn the_embedded_table_is_dated_and_stands_in_with_east_us() {
    let book = PriceBook::embedded();
    assert_eq!(book.currency, "USD");
    assert_eq!(book.as_of(), EMBEDDED_AS_OF);
    assert!(
        book.describe().contains(EMBEDDED_AS_OF),
        "{}",
        book.describe()
    );
    let used = book.snapshot_price("westeurope");
    assert_eq!(used.per_gib_month, 0.05);
    assert_eq!(used.basis, PriceBasis::StandIn("eastus".into()));
    assert_eq!(book.snapshot_price("eastus2").basis, PriceBasis::Listed);
}

#[test]
fn money_and_sizes_read_naturally() {
    let money = [
        (95.744, "USD", "$95.74"),
        (1_234_567.891, "EUR", "€1,234,567.89"),
        (1234.5, "JPY", "¥1,235"),
        (12.3, "CHF", "CHF 12.30"),
        (-3.1, "GBP", "-£3.10"),
        (-0.001, "USD", "$0.00"),
        (999.999, "USD", "$1,000.00"),
    ];
    for (value, currency, text) in money {
        assert_eq!(format_money(value, currency), text);
    }
    let sizes = [
        (1914.88, "1.9 TiB"),
        (30.72, "30.7 GiB"),
        (0.9216, "944 MiB"),
        (250.0, "250 GiB"),
        (0.0, "0 GiB"),
    ];
    for (gib, text) in sizes {
        assert_eq!(format_gib(gib), text);
    }
}

#[test]
fn assumptions_resolve_disk_then_vm_then_fleet() {
    let mut set = AssumptionSet::default();
    set.vms.insert(
        "vm1".into(),
        Assumptions {
            used_fraction: 0.8,
            daily_churn: 0.05,
        },
    );
    set.disks.insert(
        "d2".into(),
        Assumptions {
            used_fraction: 0.2,
            daily_churn: 0.01,
        },
    );
    // (vm, disk, used fraction, level)
    let cases = [
        ("vm1", "d1", 0.8, AssumptionLevel::Vm),
        ("vm1", "d2", 0.2, AssumptionLevel::Disk),
        ("vm2", "d3", DEFAULT_USED_FRACTION, AssumptionLevel::Fleet),
    ];
    for (vm, disk, used, level) in cases {
        let (a, l) = set.for_disk(vm, disk);
        assert_eq!((a.used_fraction, l), (used, level), "{vm}/{disk}");
    }
    assert_eq!(
        Assumptions::default().describe(),
        "60 % used, 3 %/day churn"
    );
}

#[test]
fn policies_azure_would_refuse_say_why() {
    // (policy, problems)
    let cases = [
        (Policy::default(), 0),
        (
            Policy {
                every_hours: 2,
                ..Default::default()
            },
            1, // application-consistent: every 3 h at most
        ),
        (
            Policy {
                every_hours: 1,
                mode: Mode::CrashConsistent,
                ..Default::default()
            },
            0,
        ),
        (
            Policy {
                retention: Retention::Count(501),
                ..Default::default()
            },
            1,
        ),
        (
            Policy {
                every_hours: 3,
                retention: Retention::Days(90), // 90 × 8 + 1 = 721 points
                ..Default::default()
            },
            1,
        ),
        (
            Policy {
                retention: Retention::Count(0),
                instant_access: true,
                instant_access_minutes: 30,
                ..Default::default()
            },
            2,
        ),
    ];
    for (policy, problems) in cases {
        assert_eq!(policy.problems().len(), problems, "{}", policy.describe());
    }
}

#[test]
fn rollups_rank_every_level_within_a_scope() {
    let mut b = CostEstateBuilder::default();
    let disk = |key: &'static str, size: f64| CapturedDisk {
        disk_key: key,
        disk_name: "d",
        provisioned_gib: size,
        storage_type: "Premium_LRS",
        disk_restore_point: "".into(),
    };
    for (name, sub, region, size) in [
        ("a", "s1", "eastus", 100.0),
        ("b", "s1", "eastus", 300.0),
        ("c", "s2", "westus", 200.0),
    ] {
        let c = b.collection(CollectionInfo {
            id: format!("/subscriptions/{sub}/rpc-{name}"),
            name: format!("rpc-{name}"),
            vm_key: format!("vm-{name}"),
            vm_name: format!("vm-{name}"),
            resource_group: "rg".into(),
            subscription_id: sub.into(),
            region: region.into(),
            live: true,
            attached_disks: Vec::new(),
        });
        b.point(
            c,
            &format!("/subscriptions/{sub}/rpc-{name}/restorePoints/p"),
            NOW,
            [disk(name, size)],
        );
    }
    let e = b.finish();
    let est = estimate(&e, &fleet(1.0, 0.03), &book(0.05));
    let all = rollup(&e, &est, &Scope::Fleet);
    assert!(close(all.total.gib, 600.0, 1e-9));
    let vms: Vec<&str> = all.by_vm.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(vms, ["vm-b", "vm-c", "vm-a"]);
    assert_eq!(all.by_subscription[0].key, "s1");
    assert!(close(all.by_subscription[0].amount.gib, 400.0, 1e-9));
    assert_eq!(all.by_region.len(), 2);
    let s2 = rollup(&e, &est, &Scope::Subscription("S2".into()));
    assert!(close(s2.total.gib, 200.0, 1e-9));
    assert_eq!(s2.points, 1);
    let point = rollup(
        &e,
        &est,
        &Scope::Point("/subscriptions/s1/rpc-a/restorePoints/p".into()),
    );
    assert!(
        close(point.total.gib, 100.0, 1e-9),
        "a point's scope is its collection"
    );
}

#[test]
fn points_added_out_of_order_or_interleaved_give_the_same_estate() {
    let disk = |key: &'static str| CapturedDisk {
        disk_key: key,
        disk_name: key,
        provisioned_gib: 100.0,
        storage_type: "Premium_LRS",
        disk_restore_point: key.into(),
    };
    let info = |name: &str| CollectionInfo {
        id: format!("/c/{name}"),
        name: name.into(),
        region: "eastus".into(),
        ..Default::default()
    };
    // (collection, day) in the order they are added.
    let build = |order: &[(usize, i64)], interleave: bool| {
        let mut b = CostEstateBuilder::default();
        let mut made = Vec::new();
        if interleave {
            made = vec![b.collection(info("a")), b.collection(info("b"))];
        }
        for (c, day) in order {
            if !interleave && made.len() <= *c {
                made.push(b.collection(info(["a", "b"][*c])));
            }
            b.point(
                made[*c],
                &format!("/c/{}/restorePoints/p{day}", ["a", "b"][*c]),
                NOW - day * DAY,
                [disk("d")],
            );
        }
        b.finish()
    };
    let in_order = build(&[(0, 3), (0, 2), (0, 1), (1, 2), (1, 1)], false);
    let shuffled = build(&[(0, 1), (0, 3), (0, 2), (1, 1), (1, 2)], false);
    let interleaved = build(&[(1, 1), (0, 2), (1, 2), (0, 1), (0, 3)], true);
    let est = |e: &CostEstate| estimate(e, &fleet(1.0, 0.03), &book(0.05));
    for e in [&in_order, &shuffled, &interleaved] {
        for f in &e.families {
            assert!(f.times.windows(2).all(|w| w[0] <= w[1]), "{f:?}");
            assert_eq!(f.points.len(), f.times.len());
        }
        for (p, point) in e.points.iter().enumerate() {
            let families = e.families_of_point(p);
            assert_eq!(families.len(), 1, "{}", point.id);
            let (f, pos) = families[0];
            assert_eq!(e.families[f].points[pos], p);
            assert_eq!(e.families[f].disk_restore_point(pos), "d");
        }
        // a: 100 + 2 × 3 = 106 GiB; b: 100 + 3 = 103 GiB.
        let total = rollup(e, &est(e), &Scope::Fleet).total;
        assert!(close(total.gib, 209.0, 1e-9), "{total:?}");
    }
}
