//! Benchmark: what the lifecycle views compute over a fleet of 10,000 VMs with ten points
//! each (100,000 points): the leak finder (collections, limits, the retention rule), a
//! clean-up's candidates for the whole fleet and the rule's selection over them. Each is
//! computed when the inventory or the rule changes (the views cache the result), so each
//! figure is one recomputation, against a 16 ms frame. The views read the candidates 4,000
//! points per frame (`candidates_step`): the slice's figure is what one such frame costs;
//! the last frame also sorts them and makes the selection or the findings from them.
//!
//! `cargo bench --bench lifecycle`.

use std::time::Instant;

use rpdesk::lifecycle::{Labels, RetentionRule, select};

mod support;

use support::timing::{best, ms};

use support::fleet::{NOW, POINTS_PER_VM, VMS};

fn main() -> Result<(), serde_json::Error> {
    let inv = support::fleet::inventory()?;
    let labels = Labels::default();
    let rule = RetentionRule {
        keep_last: Some(7),
        keep_days: None,
    };
    let candidates = inv.cleanup_candidates(None, false, &labels);
    let plain: Vec<_> = candidates.iter().map(|c| c.candidate.clone()).collect();
    let selection = select(&rule, &plain, NOW);
    let findings = inv.find_leaks(&labels, &rule, NOW);
    println!(
        "{VMS} VMs × {POINTS_PER_VM} points: {} candidates, {} to delete under \"keep 7\", {} findings",
        plain.len(),
        selection.delete.len(),
        findings.len()
    );
    let rows = [
        (
            "clean-up candidates, whole fleet",
            best(3, || inv.cleanup_candidates(None, false, &labels)),
        ),
        (
            "retention rule over them",
            best(3, || select(&rule, &plain, NOW)),
        ),
        (
            "leak finder",
            best(3, || inv.find_leaks(&labels, &rule, NOW)),
        ),
        (
            "one frame's slice (4,000 points)",
            best(3, || {
                let mut job = inv.candidates_job(None, false);
                inv.candidates_step(&mut job, &labels, 4_000);
                job
            }),
        ),
        (
            "last frame: the sort",
            (0..3)
                .map(|_| {
                    let mut job = inv.candidates_job(None, false);
                    let all = job.progress().1;
                    inv.candidates_step(&mut job, &labels, all - 1);
                    let start = Instant::now();
                    inv.candidates_step(&mut job, &labels, 1);
                    start.elapsed()
                })
                .min()
                .unwrap_or_default(),
        ),
        (
            "last frame: findings from them",
            best(3, || inv.find_leaks_from(&candidates, &rule, NOW)),
        ),
    ];
    for (what, took) in rows {
        println!("{what:<34} {:>10}", ms(took));
    }
    Ok(())
}
