//! Emulator benchmarks (plain `Instant`, no harness): estate generation, GET throughput
//! over HTTP, and a full paged listing of `large:10000`. Run with
//! `cargo bench --bench emulator`; figures are printed, not asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::time::{Duration, Instant};

use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use serde_json::Value;

const VMS: usize = 10_000;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run());
}

async fn start(page_size: usize) -> (RunningEmulator, Duration) {
    let config = EmulatorConfig {
        estate: EstateSpec::Large(VMS),
        throttling: false,
        page_size,
        ..Default::default()
    };
    let t = Instant::now();
    let emu = RunningEmulator::start(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("start");
    (emu, t.elapsed())
}

async fn list_all(http: &reqwest::Client, first: String) -> (usize, usize) {
    let (mut items, mut pages, mut url) = (0, 0, first);
    loop {
        let body: Value = http
            .get(&url)
            .bearer_auth("bench")
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        pages += 1;
        items += body["value"].as_array().map_or(0, Vec::len);
        match body["nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return (items, pages),
        }
    }
}

async fn run() {
    println!("emulator benchmark (estate large:{VMS}, throttling off)");
    let (emu, startup) = start(20).await;
    println!(
        "  start with large:{VMS} (generate estate + bind): {:>8.1} ms",
        startup.as_secs_f64() * 1e3
    );
    let base = emu.base_url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    let subs: Vec<String> = {
        let body: Value = http
            .get(format!(
                "{base}/subscriptions?api-version=2022-12-01&$top=1000"
            ))
            .bearer_auth("b")
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let mut ids: Vec<String> = body["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["subscriptionId"].as_str().map(str::to_owned))
            .collect();
        let mut next = body["nextLink"].as_str().map(str::to_owned);
        while let Some(n) = next {
            let b: Value = http
                .get(&n)
                .bearer_auth("b")
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            ids.extend(
                b["value"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s["subscriptionId"].as_str().map(str::to_owned)),
            );
            next = b["nextLink"].as_str().map(str::to_owned);
        }
        ids
    };

    // Full listing, page size 20 (the default), every subscription in turn.
    let t = Instant::now();
    let (mut items, mut pages) = (0, 0);
    for s in &subs {
        let (i, p) = list_all(&http, format!("{base}/subscriptions/{s}/providers/Microsoft.Compute/virtualMachines?api-version=2025-04-01")).await;
        items += i;
        pages += p;
    }
    let d = t.elapsed();
    println!(
        "  list all VMs, page size 20:   {items} VMs in {pages} pages over {} subscriptions: {:>8.1} ms ({:.0} VMs/s)",
        subs.len(),
        d.as_secs_f64() * 1e3,
        items as f64 / d.as_secs_f64()
    );

    let t = Instant::now();
    let (mut items, mut pages) = (0, 0);
    for s in &subs {
        let (i, p) = list_all(&http, format!("{base}/subscriptions/{s}/providers/Microsoft.Compute/restorePointCollections?api-version=2025-04-01&$expand=restorePoints")).await;
        items += i;
        pages += p;
    }
    let d = t.elapsed();
    println!(
        "  list all collections with $expand=restorePoints, page size 20: {items} collections ({} points) in {pages} pages: {:>8.1} ms",
        items * 10,
        d.as_secs_f64() * 1e3
    );

    // GET throughput: one VM, sequential then 16 concurrent clients.
    let vm_url = {
        let body: Value = http.get(format!("{base}/subscriptions/{}/providers/Microsoft.Compute/virtualMachines?api-version=2025-04-01", subs[0])).bearer_auth("b").send().await.expect("send").json().await.expect("json");
        format!(
            "{base}{}?api-version=2025-04-01",
            body["value"][0]["id"].as_str().expect("vm id")
        )
    };
    let n = 2_000;
    let mut lat = Vec::with_capacity(n);
    let t = Instant::now();
    for _ in 0..n {
        let t1 = Instant::now();
        let r = http
            .get(&vm_url)
            .bearer_auth("b")
            .send()
            .await
            .expect("send");
        let _ = r.bytes().await.expect("bytes");
        lat.push(t1.elapsed());
    }
    let d = t.elapsed();
    lat.sort();
    println!(
        "  GET one VM, sequential:        {n} requests: {:>8.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
        n as f64 / d.as_secs_f64(),
        lat[n / 2].as_secs_f64() * 1e3,
        lat[n * 99 / 100].as_secs_f64() * 1e3
    );
    let clients = 16;
    let per = 500;
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = http.clone();
        let url = vm_url.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per {
                let r = http.get(&url).bearer_auth("b").send().await.expect("send");
                let _ = r.bytes().await.expect("bytes");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let d = t.elapsed();
    println!(
        "  GET one VM, {clients} concurrent clients: {} requests: {:>8.0} req/s",
        clients * per,
        (clients * per) as f64 / d.as_secs_f64()
    );
    emu.shutdown().await;

    // The same listing with large pages, as a client that asks for them would see it.
    let (emu, _) = start(1000).await;
    let base = emu.base_url();
    let t = Instant::now();
    let mut items = 0;
    for s in &subs {
        items += list_all(&http, format!("{base}/subscriptions/{s}/providers/Microsoft.Compute/virtualMachines?api-version=2025-04-01")).await.0;
    }
    println!(
        "  list all VMs, page size 1000: {items} VMs: {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    emu.shutdown().await;
}
