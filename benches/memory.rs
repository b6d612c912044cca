//! The app's memory with a large fleet loaded, measured (not asserted). The emulator runs
//! in a child process (`rpdesk emulator`), so every byte counted here is the app's: the
//! real `App` in egui_kittest loads `large:N` over HTTP, the table then shows every
//! restore point of the fleet, and a few frames are built.
//!
//! Heap figures come from dhat's counting allocator; resident memory from the kernel
//! (`VmHWM`, `VmRSS`). `--profile` also writes `dhat-heap.json` (allocation sites, for
//! dhat's viewer) into the working directory.
//!
//! `cargo bench --bench memory -- [VMS] [--profile]` (default 10000).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use rpdesk::app::{App, AppOptions};
use rpdesk::auth::BearerToken;
use rpdesk::backend::ConnectionSpec;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vms: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let profile = args.iter().any(|a| a == "--profile");
    let _profiler = if profile {
        dhat::Profiler::builder()
            .file_name("dhat-heap.json")
            .build()
    } else {
        dhat::Profiler::builder().testing().build()
    };

    let (mut emulator, url) = start_emulator(vms);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _guard = rt.enter();
    report("before the app", None);

    let mut options = AppOptions::new(rt.handle().clone());
    options.ephemeral = true;
    options.connection = Some(ConnectionSpec::Custom {
        endpoint: url,
        token: BearerToken::new("bench"),
    });
    let mut h: Harness<'static, App> = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_max_steps(1)
        .with_accessibility_check(false)
        .build_eframe(move |cc| App::new(cc, options));
    let started = Instant::now();
    while !(h.state().is_idle() && h.state().inventory.vms.len() == vms) {
        h.step();
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "the load timed out"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let points = h.state().inventory.points.len();
    println!(
        "large:{vms} loaded in {:.1} s: {vms} VMs, {points} restore points",
        started.elapsed().as_secs_f64()
    );
    report("inventory loaded", Some(points));

    // What follows a load (views that wait for it to settle), over two seconds of frames.
    let settle = Instant::now();
    while settle.elapsed() < Duration::from_secs(2) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    report("two seconds later", Some(points));

    h.state_mut().ui.table_all_points = true;
    for _ in 0..5 {
        h.step();
    }
    report("every point in the table", Some(points));

    drop(h);
    emulator.kill().ok();
    emulator.wait().ok();
}

/// `rpdesk emulator` on a free port, without throttling (the load is not what is measured).
fn start_emulator(vms: usize) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--estate",
            &format!("large:{vms}"),
            "--page-size",
            "100",
            "--no-throttling",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the emulator's first line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("listening on URL")
        .to_owned();
    (child, url)
}

fn report(when: &str, points: Option<usize>) {
    let heap = dhat::HeapStats::get();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    let per_point = points
        .filter(|p| *p > 0)
        .map(|p| {
            format!(
                " · {:.0} bytes of heap per point",
                heap.curr_bytes as f64 / p as f64
            )
        })
        .unwrap_or_default();
    println!(
        "{when}: heap now {} · heap peak {} · resident now {} · resident peak {}{per_point}",
        mb(heap.curr_bytes as u64),
        mb(heap.max_bytes as u64),
        mb(kb("VmRSS:") * 1024),
        mb(kb("VmHWM:") * 1024),
    );
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}
