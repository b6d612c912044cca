//! Restore benchmark: a point with 16 data disks (`data-warehouse-01`), restored as
//! Premium SSD v2 disks whose hydration is waited for, against the emulator with 40 ms of
//! latency per request. The disk restores of a run go in parallel, so the whole run should
//! take about as long as its slowest disk alone. Run with `cargo bench --bench restore`;
//! figures are printed, not asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::sync::Arc;
use std::time::{Duration, Instant};

use rpdesk::arm::{ArmClient, Cancel, ClientOptions};
use rpdesk::auth::StaticToken;
use rpdesk::backend::headless::Headless;
use rpdesk::backend::restore::{RestoreExecutor, Sink};
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use rpdesk::model::{ResourceId, StorageAccountType};
use rpdesk::restore::{Phase, Plan, RestoreChoices, StepKind, Target};

/// Virtual seconds per real second: a 1 TiB disk's restore (94 virtual s) and hydration
/// (512 virtual s) take about 10 s.
const SPEED: f64 = 60.0;
const LATENCY_MS: u64 = 40;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run());
}

fn point() -> ResourceId {
    ResourceId::resource_group_id("6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01", "rg-dw-prod")
        .provider_child(
            "Microsoft.Compute",
            "restorePointCollections",
            "data-warehouse-01-rpc",
        )
        .child("restorePoints", "rp-007-app")
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

async fn emulator() -> (RunningEmulator, ArmClient) {
    let emu = RunningEmulator::start(
        EmulatorConfig {
            estate: EstateSpec::Demo,
            speed: SPEED,
            latency_ms: LATENCY_MS,
            ..Default::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("emulator");
    // Polls every 250 ms instead of the emulator's whole-second Retry-After, so the
    // figure measures the restores, not the rounding of the polls.
    let options = ClientOptions {
        default_poll_interval: Duration::from_millis(250),
        max_poll_interval: Duration::from_millis(250),
        ..Default::default()
    };
    let client = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("bench")),
        options,
    )
    .expect("client");
    (emu, client)
}

/// Data disks of the point as Premium SSD v2 in zone 1 (their hydration is reported and
/// waited for); `only`: just that LUN.
async fn plan(client: &ArmClient, only: Option<i32>, run_id: &str) -> Plan {
    let mut loader = Headless::new(client.clone());
    loader.load_all().await.expect("inventory");
    loader
        .load_for_restore(&point(), now_unix())
        .await
        .expect("point");
    let facts = loader
        .inventory
        .restore_facts(&point(), now_unix())
        .expect("facts");
    let mut choices = RestoreChoices::defaults(&facts, None);
    choices.reason = "benchmark".into();
    for (c, d) in choices.disks.iter_mut().zip(&facts.disks) {
        c.include = d.lun.is_some() && only.is_none_or(|l| d.lun == Some(l));
        c.sku = StorageAccountType::PremiumV2Lrs;
        c.zone = "1".into();
    }
    choices.target = Target::DisksOnly;
    let mut plan = rpdesk::restore::plan(&facts, &choices, run_id, "bench").expect("a plan");
    for step in &mut plan.steps {
        if let StepKind::RestoreDisk { wait_hydrated, .. } = &mut step.kind {
            *wait_hydrated = true;
        }
    }
    plan
}

async fn timed(only: Option<i32>, run_id: &str) -> (Duration, usize) {
    let (emu, client) = emulator().await;
    let plan = plan(&client, only, run_id).await;
    let disks = plan.disks.len();
    let dir = std::env::temp_dir().join(format!("rpdesk-bench-{}-{run_id}", std::process::id()));
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let exec = RestoreExecutor::new(client, dir.clone(), Sink::new(tx), Cancel::new());
    let started = Instant::now();
    let state = exec.start(plan, "bench".into()).await.expect("journal");
    let took = started.elapsed();
    assert_eq!(state.phase, Phase::Finished, "{:?}", state.phase);
    emu.shutdown().await;
    std::fs::remove_dir_all(dir).ok();
    (took, disks)
}

async fn run() {
    println!(
        "restore benchmark: data-warehouse-01, Premium SSD v2 with hydration, {LATENCY_MS} ms latency, clock ×{SPEED}"
    );
    // LUN 0 is one of the two largest disks (1 TiB): the slowest alone.
    let (one, _) = timed(Some(0), "r-bench-one").await;
    println!(
        "  the slowest disk alone (1 TiB):   {:>6.2} s",
        one.as_secs_f64()
    );
    let (all, n) = timed(None, "r-bench-all").await;
    println!(
        "  all {n} data disks in one run:   {:>6.2} s",
        all.as_secs_f64()
    );
    println!(
        "  → {:.2} × the slowest disk alone",
        all.as_secs_f64() / one.as_secs_f64()
    );
}
