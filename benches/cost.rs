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

mod support;

use support::timing::{best, ms};

use support::fleet::{NOW, POINTS_PER_VM, VMS};
const FRAME: Duration = Duration::from_millis(16);

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

fn main() -> Result<(), serde_json::Error> {
    let setup = Instant::now();
    let inv = support::fleet::inventory()?;
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
