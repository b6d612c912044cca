//! UI speed, measured (not asserted): time to the first frame and to the first
//! subscription on the demo estate, and the cost of building one frame with the
//! `large:10000` fleet loaded and 100,000 restore points in the table. Frames are built
//! with egui_kittest, without a GPU.
//!
//! `cargo bench --bench ui_frame -- [VMS]` (default 10000).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use rpdesk::app::{App, AppOptions};

fn main() {
    let vms: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _guard = rt.enter();
    first_frame(rt.handle().clone());
    frame_time(rt.handle().clone(), vms);
}

/// A harness that has run exactly one frame (the builder steps up to `max_steps`).
fn harness(options: AppOptions) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_max_steps(1)
        .with_accessibility_check(false)
        .build_eframe(move |cc| App::new(cc, options))
}

fn options(handle: tokio::runtime::Handle, estate: &str) -> AppOptions {
    let mut o = AppOptions::new(handle);
    o.ephemeral = true;
    o.demo_estate = estate.to_owned();
    o
}

fn step_until(h: &mut Harness<'_, App>, timeout: Duration, done: impl Fn(&App) -> bool) {
    let started = Instant::now();
    while !done(h.state()) {
        h.step();
        assert!(started.elapsed() < timeout, "timed out");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn first_frame(handle: tokio::runtime::Handle) {
    let started = Instant::now();
    let mut h = harness(options(handle, "demo"));
    let first_frame = started.elapsed();
    step_until(&mut h, Duration::from_secs(30), |app| {
        !app.inventory.subscription_ids().is_empty()
    });
    h.step();
    let first_subscription = started.elapsed();
    step_until(&mut h, Duration::from_secs(60), |app| {
        app.is_idle() && !app.inventory.vms.is_empty()
    });
    let everything = started.elapsed();
    println!(
        "demo estate: first frame {:.0} ms · first subscription shown {:.0} ms · everything loaded {:.0} ms",
        ms(first_frame),
        ms(first_subscription),
        ms(everything)
    );
}

fn frame_time(handle: tokio::runtime::Handle, vms: usize) {
    let mut h = harness(options(handle, &format!("large:{vms}")));
    let started = Instant::now();
    step_until(&mut h, Duration::from_secs(600), |app| {
        app.is_idle() && app.inventory.vms.len() == vms
    });
    println!(
        "large:{vms}: loaded in {:.1} s ({} points)",
        started.elapsed().as_secs_f64(),
        h.state().inventory.points.len()
    );

    // Every restore point of the fleet in the centre table.
    h.state_mut().ui.table_all_points = true;
    let rebuild = Instant::now();
    h.step();
    println!(
        "first frame after switching the table to every point (builds the rows): {:.0} ms",
        ms(rebuild.elapsed())
    );
    report(&mut h, "100,000-row table, idle");

    // A filter typed, then a sort by collection: each reads every row's cells.
    h.state_mut().ui.table_filter = "rp-0".into();
    let filtered = Instant::now();
    h.step();
    let took = filtered.elapsed();
    let app = h.state_mut();
    let shown = app.ui.table_view(&app.inventory, 0.0).1.len();
    println!(
        "first frame after typing a filter over the 100,000 rows: {:.0} ms ({shown} rows match)",
        ms(took)
    );
    h.state_mut().ui.table_filter.clear();
    h.state_mut().ui.sort.column = Some(1);
    let sorted = Instant::now();
    h.step();
    println!(
        "first frame after sorting the 100,000 rows by collection: {:.0} ms",
        ms(sorted.elapsed())
    );
    h.state_mut().ui.sort.column = None;
    h.step();

    // Expanded tree: the first subscription open (500 VMs listed).
    let first = h.state().inventory.subscription_ids()[0].clone();
    h.state_mut()
        .ui
        .set_expanded(&rpdesk::inventory::NodeId::Subscription(first.into()), true);
    h.step();
    report(&mut h, "100,000-row table + 500 VMs in the tree");
}

fn report(h: &mut Harness<'_, App>, what: &str) {
    let mut times: Vec<f64> = (0..60)
        .map(|_| {
            let t = Instant::now();
            h.step();
            ms(t.elapsed())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{what}: frame median {:.2} ms · p95 {:.2} ms · max {:.2} ms",
        times[30], times[57], times[59]
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
