//! Loads the whole inventory of a generated fleet through the real backend loader, against
//! the emulator with ARM-like latency and ARM's token buckets on, and the same load one
//! request at a time. Figures are printed, not asserted.
//!
//! `cargo bench --bench inventory -- [VMS] [--latency-ms N] [--page-size N] [--sequential]`
//! (default 10000 VMs, 40 ms, page size 100; `--sequential` also runs the one-at-a-time load).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::sync::Arc;
use std::time::{Duration, Instant};

use rpdesk::arm::{ArmClient, BucketConfig, ClientOptions};
use rpdesk::auth::StaticToken;
use rpdesk::backend::{Backend, BackendEvent};
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use rpdesk::inventory::Inventory;

struct Args {
    vms: usize,
    latency_ms: u64,
    page_size: usize,
    sequential: bool,
}

fn args() -> Args {
    let mut a = Args {
        vms: 10_000,
        latency_ms: 40,
        page_size: 100,
        sequential: false,
    };
    let mut it = std::env::args().skip(1).filter(|x| x != "--bench");
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--latency-ms" => {
                a.latency_ms = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(a.latency_ms)
            }
            "--page-size" => {
                a.page_size = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(a.page_size)
            }
            "--sequential" => a.sequential = true,
            other => a.vms = other.parse().unwrap_or(a.vms),
        }
    }
    a
}

fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(a));
}

async fn emulator(a: &Args) -> RunningEmulator {
    let config = EmulatorConfig {
        estate: EstateSpec::Large(a.vms),
        latency_ms: a.latency_ms,
        page_size: a.page_size,
        throttling: true,
        ..Default::default()
    };
    RunningEmulator::start(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("emulator")
}

fn client(emu: &RunningEmulator, options: ClientOptions) -> ArmClient {
    ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("bench")),
        options,
    )
    .expect("client")
}

async fn run(a: Args) {
    println!(
        "fleet: large:{} · latency {} ms · page size {} · ARM throttling on",
        a.vms, a.latency_ms, a.page_size
    );

    let emu = emulator(&a).await;
    let c = client(&emu, ClientOptions::default());
    let subs = (a.vms / 500).max(1);
    let (elapsed, inv) = load_with_backend(&c).await;
    let stats = c.stats();
    let bound = bucket_bound(stats.requests, subs);
    println!(
        "paced load: {:.1} s · {} requests ({} retries, {} throttled) · {} VMs, {} collections, {} points",
        elapsed.as_secs_f64(),
        stats.requests,
        stats.retries,
        stats.throttled,
        inv.vms.len(),
        inv.collections.len(),
        inv.points.len()
    );
    println!(
        "ARM's token-bucket bound for {} reads over {subs} subscription(s): {:.1} s → the load took {:.2}× the bound",
        stats.requests,
        bound.as_secs_f64(),
        elapsed.as_secs_f64() / bound.as_secs_f64().max(0.001)
    );
    emu.shutdown().await;

    if a.sequential {
        let emu = emulator(&a).await;
        let options = ClientOptions {
            per_subscription_concurrency: 1,
            ..Default::default()
        };
        let c = client(&emu, options);
        let started = Instant::now();
        let requests = load_sequentially(&c).await;
        let seq = started.elapsed();
        println!(
            "one request at a time: {:.1} s · {requests} requests ({} throttled) → paced load is {:.1}× faster",
            seq.as_secs_f64(),
            c.stats().throttled,
            seq.as_secs_f64() / elapsed.as_secs_f64().max(0.001)
        );
        emu.shutdown().await;
    }
}

/// The product's path: `Backend::load_all`, events folded into an `Inventory`.
async fn load_with_backend(c: &ArmClient) -> (Duration, Inventory) {
    let (backend, mut events) = Backend::new(
        c.clone(),
        tokio::runtime::Handle::current(),
        Arc::new(|| {}),
    );
    let mut inv = Inventory::default();
    let started = Instant::now();
    inv.mark_loading_all();
    backend.load_all();
    loop {
        match tokio::time::timeout(Duration::from_secs(120), events.recv()).await {
            Ok(Some(BackendEvent::Inventory(e))) => inv.apply(e),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => panic!("the load stalled"),
        }
        if inv.subscriptions.value().is_some() && inv.progress().is_complete() {
            break;
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(inv.progress().failures, 0, "the load had failures");
    (elapsed, inv)
}

/// The same requests, awaited one after another.
async fn load_sequentially(c: &ArmClient) -> u64 {
    let subs = c.list_subscriptions().await.expect("subscriptions");
    for s in &subs {
        let sub = s.subscription_id.as_str();
        c.list_vms(sub).await.expect("vms");
        c.list_vm_statuses(sub).await.expect("statuses");
        c.list_disks(sub).await.expect("disks");
        for rpc in c.list_collections(sub).await.expect("collections") {
            c.get_collection(&rpc.id, true).await.expect("points");
        }
    }
    c.stats().requests
}

/// The least time ARM's read buckets allow for `requests` spread evenly over `subs`
/// subscriptions: the burst is free, the rest comes at the refill rate.
fn bucket_bound(requests: u64, subs: usize) -> Duration {
    let b = BucketConfig::ARM;
    let per_sub = requests as f64 / subs as f64;
    Duration::from_secs_f64(((per_sub - b.read_capacity) / b.read_refill_per_sec).max(0.0))
}
