//! Emulator benchmarks (plain `Instant`, no harness): estate generation, GET throughput
//! over HTTP, a full paged listing of `large:10000`, and the cost of one write with
//! `--state` on `demo` and on `large:10000`. Run with `cargo bench --bench emulator`;
//! figures are printed, not asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::time::{Duration, Instant};

use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use serde_json::{Value, json};

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
        let body = get_json(http, &url).await;
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
        let body = get_json(
            &http,
            format!("{base}/subscriptions?api-version=2022-12-01&$top=1000"),
        )
        .await;
        let mut ids: Vec<String> = body["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["subscriptionId"].as_str().map(str::to_owned))
            .collect();
        let mut next = body["nextLink"].as_str().map(str::to_owned);
        while let Some(n) = next {
            let b = get_json(&http, &n).await;
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
        let body = get_json(&http, format!("{base}/subscriptions/{}/providers/Microsoft.Compute/virtualMachines?api-version=2025-04-01", subs[0])).await;
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

    for estate in [EstateSpec::Demo, EstateSpec::Large(VMS)] {
        write_costs(&http, estate).await;
    }
}

/// Writes measured one at a time; each is answered once saved.
const WRITES: usize = 200;

/// The cost of one write with `--state` (in the system's temp directory, fsync'd), next
/// to the same writes without a state file.
async fn write_costs(http: &reqwest::Client, estate: EstateSpec) {
    println!("one write with --state, estate {estate} ({WRITES} of each, one at a time):");
    let dir = std::env::temp_dir().join(format!("rpdesk-bench-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("estate.json");
    for state in [None, Some(file.clone())] {
        let config = EmulatorConfig {
            estate: estate.clone(),
            throttling: false,
            state_file: state.clone(),
            ..Default::default()
        };
        let emu = RunningEmulator::start(config, "127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("start");
        let base = emu.base_url();
        let sub = get_json(http, format!("{base}/subscriptions?api-version=2022-12-01")).await;
        let sub = sub["value"][0]["subscriptionId"]
            .as_str()
            .expect("a subscription")
            .to_owned();
        let collections = get_json(http, format!("{base}/subscriptions/{sub}/providers/Microsoft.Compute/restorePointCollections?api-version=2025-04-01")).await;
        let collection = collections["value"][0]["id"]
            .as_str()
            .expect("a collection")
            .to_owned();
        let label = if state.is_some() {
            "--state"
        } else {
            "no state file"
        };
        let t = Instant::now();
        write(
            http,
            &base,
            "PUT",
            &format!("/subscriptions/{sub}/resourceGroups/rg-bench-first?api-version=2021-04-01"),
            json!({ "location": "westeurope" }),
        )
        .await;
        if state.is_some() {
            println!(
                "  first write (the whole estate saved once):      {:>8.1} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        let mut groups = Vec::with_capacity(WRITES);
        let mut tags = Vec::with_capacity(WRITES);
        for i in 0..WRITES {
            let t = Instant::now();
            write(
                http,
                &base,
                "PUT",
                &format!("/subscriptions/{sub}/resourceGroups/rg-bench-{i}?api-version=2021-04-01"),
                json!({ "location": "westeurope" }),
            )
            .await;
            groups.push(t.elapsed());
            let t = Instant::now();
            write(
                http,
                &base,
                "PATCH",
                &format!("{collection}?api-version=2025-04-01"),
                json!({ "tags": { "run": i.to_string() } }),
            )
            .await;
            tags.push(t.elapsed());
        }
        for (what, times) in [
            ("create a resource group", &mut groups),
            ("tag a collection of 10 points", &mut tags),
        ] {
            times.sort();
            println!(
                "  {label:>13}: {what:<30} median {:>6.2} ms, p99 {:>6.2} ms",
                times[WRITES / 2].as_secs_f64() * 1e3,
                times[WRITES * 99 / 100].as_secs_f64() * 1e3
            );
        }
        let t = Instant::now();
        emu.shutdown().await;
        if state.is_some() {
            let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
            println!(
                "  shutdown, journal folded into a {:.1} MB state file: {:>8.1} ms",
                size(&file) as f64 / 1e6,
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

async fn get_json(http: &reqwest::Client, url: impl reqwest::IntoUrl) -> Value {
    http.get(url)
        .bearer_auth("bench")
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

async fn write(http: &reqwest::Client, base: &str, method: &str, path: &str, body: Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let r = http
        .request(method, format!("{base}{path}"))
        .bearer_auth("b")
        .json(&body)
        .send()
        .await
        .expect("send");
    assert!(r.status().is_success(), "{path}: {}", r.status());
    let _ = r.bytes().await.expect("body");
}
