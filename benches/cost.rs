//! Benchmark: the cost model over a synthetic fleet of 10,000 VMs with ten daily points
//! each (one to five disks per VM), as the fleet Cost view computes it. Prints what each
//! step costs: building the model's input from the inventory (once per inventory change),
//! and what moving a policy control costs (sizes, totals, both policies projected over 12
//! months, both clean-ups), against a 16 ms frame.
//!
//! `cargo bench --bench cost` (add `--profile dev` to skip an optimized build of every
//! dependency).

use std::hint::black_box;
use std::time::{Duration, Instant};

use rpdesk::cost::{
    AssumptionSet, CostInputs, MAX_SERIES, Policy, PriceBook, Retention, Scope, StackBy, cleanup,
    estimate, model, project, rollup,
};
use rpdesk::inventory::Inventory;
use rpdesk::model::{RestorePointCollection, Timestamp, VirtualMachine};
use serde_json::{Value, json};

use support::Lcg;

mod support;

const VMS: usize = 10_000;
const POINTS_PER_VM: i64 = 10;
const SUB: &str = "00000000-0000-0000-0000-0000000000c1";
const NOW: i64 = 1_768_046_400; // 2026-01-10T12:00:00Z
const FRAME: Duration = Duration::from_millis(16);

fn inventory() -> Result<Inventory, serde_json::Error> {
    const SKUS: &[&str] = &[
        "Premium_LRS",
        "StandardSSD_LRS",
        "PremiumV2_LRS",
        "Premium_ZRS",
    ];
    const SIZES: &[f64] = &[64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0];
    const REGIONS: &[&str] = &["eastus", "westus2", "westeurope", "northeurope"];
    let mut rng = Lcg(7);
    let mut vms: Vec<VirtualMachine> = Vec::with_capacity(VMS);
    let mut collections: Vec<RestorePointCollection> = Vec::with_capacity(VMS);
    for i in 0..VMS {
        let rg = format!("rg{}", i % 50);
        let name = format!("vm{i:05}");
        let prefix =
            format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute");
        let vm_id = format!("{prefix}/virtualMachines/{name}");
        let region = REGIONS[rng.next(REGIONS.len() as u64) as usize];
        let disks: Vec<(String, f64, &str, Option<usize>)> = (0..1 + rng.next(5) as usize)
            .map(|d| {
                let sku = SKUS[rng.next(SKUS.len() as u64) as usize];
                let size = SIZES[rng.next(SIZES.len() as u64) as usize];
                let lun = (d > 0).then(|| d - 1);
                (format!("{prefix}/disks/{name}-d{d}"), size, sku, lun)
            })
            .collect();
        let managed = |(id, size, sku, lun): &(String, f64, &str, Option<usize>)| {
            let mut v = json!({ "name": id.rsplit('/').next(), "diskSizeGB": size,
                "managedDisk": { "id": id, "storageAccountType": sku } });
            if let Some(l) = lun {
                v["lun"] = json!(l);
            }
            v
        };
        let data: Vec<Value> = disks[1..].iter().map(managed).collect();
        vms.push(serde_json::from_value(json!({
            "id": vm_id, "name": name, "location": region,
            "properties": { "storageProfile": { "osDisk": managed(&disks[0]), "dataDisks": data } } }))?);
        let rpc_id = format!("{prefix}/restorePointCollections/{name}-rpc");
        let points: Vec<Value> = (0..POINTS_PER_VM)
            .map(|p| {
                let t = NOW - 86_400 * (POINTS_PER_VM - p) + rng.next(3_600) as i64;
                let captured: Vec<Value> = disks
                    .iter()
                    .enumerate()
                    .map(|(d, disk)| {
                        let mut v = managed(disk);
                        v["diskRestorePoint"] = json!({ "id": format!("{rpc_id}/restorePoints/rp{p}/diskRestorePoints/d{d}") });
                        v
                    })
                    .collect();
                json!({ "id": format!("{rpc_id}/restorePoints/rp{p}"), "name": format!("rp{p}"),
                    "properties": { "consistencyMode": "ApplicationConsistent",
                        "timeCreated": Timestamp::from_unix_secs(t).to_rfc3339(),
                        "sourceMetadata": { "storageProfile": { "osDisk": captured[0], "dataDisks": captured[1..] } } } })
            })
            .collect();
        collections.push(serde_json::from_value(json!({ "id": rpc_id, "name": format!("{name}-rpc"),
            "location": region, "properties": { "source": { "id": vm_id }, "restorePoints": points } }))?);
    }
    Ok(support::inventory(SUB, vms, Vec::new(), &collections))
}

/// One sliced read as the app does it (2,500 points a frame): the longest slice (or the
/// start, listing the collections, if longer), the closing step (`finish`), and the number
/// of frames.
fn slice_figures(inv: &Inventory) -> (Duration, Duration, usize) {
    let started = Instant::now();
    let mut job = inv.cost_estate_job();
    let mut longest = started.elapsed();
    let mut frames = 0;
    loop {
        let started = Instant::now();
        let done = inv.cost_estate_step(&mut job, 2_500);
        longest = longest.max(started.elapsed());
        frames += 1;
        if done {
            break;
        }
    }
    let started = Instant::now();
    let estate = black_box(job.finish());
    let finish = started.elapsed();
    // The app frees a replaced estate off the UI thread.
    drop(estate);
    (longest, finish, frames + 1)
}

/// Best of `rounds` runs of `f`.
fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), serde_json::Error> {
    let setup = Instant::now();
    let inv = inventory()?;
    println!(
        "built {VMS} synthetic VMs with {POINTS_PER_VM} points each in {:.2?}",
        setup.elapsed()
    );
    let estate = inv.cost_estate();
    let disk_points: usize = estate.families.iter().map(|f| f.points.len()).sum();
    println!(
        "{} collections, {} points, {} disk families, {disk_points} disk restore points",
        estate.collections.len(),
        estate.points.len(),
        estate.families.len()
    );
    let prices = PriceBook::embedded();
    let assumptions = AssumptionSet::default();
    let policies = [
        Policy::default(),
        Policy {
            retention: Retention::Count(7),
            ..Default::default()
        },
    ];
    let scope = Scope::Fleet;

    let build = best(3, || inv.cost_estate());
    // What the app does instead: a slice of 2,500 points per frame.
    let est = estimate(&estate, &assumptions, &prices);
    let sizes = best(5, || estimate(&estate, &assumptions, &prices));
    let totals = best(5, || rollup(&estate, &est, &scope));
    let one = best(5, || {
        project(
            &estate,
            &est,
            &prices,
            &scope,
            &policies[0],
            NOW,
            StackBy::Vm,
            MAX_SERIES,
        )
    });
    let clean = best(5, || cleanup(&estate, &est, &scope, &policies[1], NOW));
    let inputs = |scope: Scope| CostInputs {
        scope,
        assumptions: assumptions.clone(),
        prices: prices.clone(),
        policies: policies.clone(),
        stack: StackBy::Vm,
        now_unix: NOW,
    };
    let control = best(5, || model(&estate, inputs(Scope::Fleet)));
    let vm_scope = Scope::Vm(estate.collections[0].vm_key.clone());
    let one_vm = best(5, || model(&estate, inputs(vm_scope.clone())));

    println!(
        "cost estate from the inventory (once per inventory change): {}",
        ms(build)
    );
    // The best of three reads (a slice is short: one preemption by another process would
    // otherwise be the figure).
    let (longest, finish, frames) = (0..3)
        .map(|_| slice_figures(&inv))
        .min()
        .unwrap_or_default();
    println!(
        "… read a slice of 2,500 points per frame as the app does: {frames} frames, the longest slice {}, the closing step {} (best of 3)",
        ms(longest),
        ms(finish)
    );
    println!(
        "sizes of every disk restore point (estimate): {}",
        ms(sizes)
    );
    println!("totals at every level (rollup): {}", ms(totals));
    println!("one policy projected over 12 months: {}", ms(one));
    println!("one clean-up to a policy: {}", ms(clean));
    println!(
        "a policy control moves, fleet of {VMS} VMs (the whole model: sizes, totals, 2 projections, comparison, 2 clean-ups): {} — {} a 16 ms frame",
        ms(control),
        if control <= FRAME { "within" } else { "over" }
    );
    println!("the same for one VM's Cost tab: {}", ms(one_vm));
    Ok(())
}
