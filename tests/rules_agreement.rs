//! The rules engine and the emulator agree: for every VM of an estate, in each mode, the
//! engine says "not supported" exactly when the emulator refuses the restore point, and a
//! point the engine accepts ("supported", "supported with exclusions") is created when it
//! is sent with the engine's exclude list.
//!
//! The inventory is loaded through the app's own backend (`Backend::load_all`), so the
//! facts are the ones the UI assesses. Cadence rules (minimum frequency, PUTs per hour)
//! are neutralised on both sides — the emulator's `/_emulator/limits` are relaxed and the
//! engine assesses two days after the last point — because each VM gets two points in a
//! row here; those rules have their own tests (`rules::tests::cadence`,
//! `emulator_rules`). Points are created concurrently (per VM one mode after the other,
//! never two at once) on a fast emulator clock.
//!
//! Every VM of `large:2000` is checked (4000 creations): about 30 s on this 2-core
//! machine, 7 s of it loading the inventory from the debug-build emulator. (Before the
//! inventory stopped rescanning every point per collection it took 83 s, and this test
//! sampled every 10th VM; `RPDESK_AGREEMENT_STEP=10` still does.)

mod client_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rpdesk::arm::{ArmClient, Cancel, ClientOptions, RestorePointRequest};
use rpdesk::auth::StaticToken;
use rpdesk::backend::{Backend, BackendEvent};
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use rpdesk::inventory::{Inventory, RegionCounts};
use rpdesk::model::{ResourceId, Timestamp};
use rpdesk::rules::{Mode, Outcome, Verdict, assess_both};
use serde_json::{Value, json};

/// One VM × mode where the two sides disagree.
#[derive(Debug)]
struct Disagreement {
    vm: String,
    mode: Mode,
    verdict: Verdict,
    failing_rules: Vec<String>,
    emulator: Result<(), String>,
}

fn options() -> ClientOptions {
    ClientOptions {
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        default_poll_interval: Duration::from_millis(40),
        max_poll_interval: Duration::from_millis(40),
        per_subscription_concurrency: 64,
        buckets: None,
        ..Default::default()
    }
}

async fn start(estate: EstateSpec) -> (RunningEmulator, ArmClient) {
    let emu = client_support::emulator_with(EmulatorConfig {
        estate,
        speed: 3600.0,
        throttling: false,
        page_size: 1000,
        ..Default::default()
    })
    .await;
    let client = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("test-token")),
        options(),
    )
    .expect("client");
    (emu, client)
}

async fn admin(emu: &RunningEmulator, method: reqwest::Method, path: &str, body: Value) -> Value {
    reqwest::Client::new()
        .request(method, format!("{}/_emulator/{path}", emu.base_url()))
        .bearer_auth("test-token")
        .json(&body)
        .send()
        .await
        .expect("admin request")
        .json()
        .await
        .expect("admin json")
}

/// Loads the whole estate through the app's backend.
async fn load(client: ArmClient) -> Inventory {
    let (backend, mut rx) =
        Backend::new(client, tokio::runtime::Handle::current(), Arc::new(|| {}));
    backend.load_all();
    let mut inv = Inventory::default();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("inventory loads in time")
            .expect("backend alive");
        if let BackendEvent::Inventory(e) = event {
            inv.apply(e);
        }
        // Power states and scale sets arrive after the VM lists: wait for them too.
        let details_known = inv.vms.values().all(|vm| {
            vm.properties.instance_view.is_some()
                && vm
                    .properties
                    .virtual_machine_scale_set
                    .as_ref()
                    .and_then(|s| ResourceId::parse(&s.id).ok())
                    .is_none_or(|s| inv.scale_set_modes.contains_key(&s))
        });
        if inv.subscriptions.value().is_some() && inv.progress().is_complete() && details_known {
            let p = inv.progress();
            assert_eq!(p.failures, 0, "inventory loaded without failures");
            return inv;
        }
    }
}

/// Creates one point per mode for a VM, as rpdesk would: into the engine's target
/// collection, or a new one when the VM has none.
async fn create(
    client: &ArmClient,
    vm: &ResourceId,
    location: &str,
    target: Option<ResourceId>,
    mode: Mode,
    exclude_disks: Vec<ResourceId>,
    serial: usize,
) -> Result<(), String> {
    let collection = match target {
        Some(c) => c,
        None => {
            let id = ResourceId::parse(&format!(
                "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/restorePointCollections/{}-agreement-rpc",
                vm.subscription_id(),
                vm.resource_group().unwrap_or_default(),
                vm.name()
            ))
            .map_err(|e| e.to_string())?;
            client
                .put_collection(&id, location, vm, None, &BTreeMap::new())
                .await
                .map_err(|e| format!("collection: {e}"))?;
            id
        }
    };
    let point = ResourceId::parse(&format!(
        "{}/restorePoints/agreement-{serial}",
        collection.as_str()
    ))
    .map_err(|e| e.to_string())?;
    let request = RestorePointRequest {
        consistency_mode: Some(mode.to_consistency()),
        exclude_disks,
        instant_access_duration_minutes: None,
    };
    client
        .create_restore_point(&point, &request, &|_| {}, &Cancel::new())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks every `step`-th VM of the estate; returns the disagreements and the count of
/// VM × mode pairs checked.
async fn check(estate: EstateSpec, step: usize) -> (Vec<Disagreement>, usize) {
    let (emu, client) = start(estate).await;
    admin(
        &emu,
        reqwest::Method::PUT,
        "limits",
        json!({ "putsPerVmPerHour": 1_000_000, "appConsistentIntervalSecs": 0.0,
                "crashConsistentIntervalSecs": 0.0 }),
    )
    .await;
    let started = std::time::Instant::now();
    let inv = load(client.clone()).await;
    eprintln!(
        "inventory of {} VMs loaded in {:.1?}",
        inv.vms.len(),
        started.elapsed()
    );
    let clock = admin(&emu, reqwest::Method::GET, "clock", Value::Null).await;
    let now_secs = clock["unixSeconds"].as_f64().expect("clock") as i64;
    // Two days on: every minimum-frequency window and PUT-per-hour window has passed.
    let now = Timestamp::from_unix_secs(now_secs + 2 * 86_400);
    let counts = RegionCounts::of(&inv);

    let mut vm_ids: Vec<ResourceId> = inv.vms.keys().cloned().collect();
    vm_ids.sort();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(48));
    let mut tasks = tokio::task::JoinSet::new();
    let mut checked = 0;
    for (i, vm_id) in vm_ids.iter().enumerate() {
        if i % step != 0 {
            continue;
        }
        let Some(source) = inv.facts_source(vm_id, &counts) else {
            continue;
        };
        let facts = source.facts();
        let both = assess_both(&facts, now);
        let target = facts.target_collection.cloned();
        let location = source.vm.location.clone();
        let plan: Vec<_> = both
            .into_iter()
            .map(|a| {
                let failing = a
                    .results
                    .iter()
                    .filter(|r| r.outcome == Outcome::Fail)
                    .map(|r| format!("{}: {}", r.rule, r.reason))
                    .collect::<Vec<_>>();
                (a.mode, a.verdict, a.exclude_disks, failing)
            })
            .collect();
        checked += plan.len();
        let (client, vm_id, semaphore) = (client.clone(), vm_id.clone(), semaphore.clone());
        tasks.spawn(async move {
            let _permit = semaphore.acquire().await.expect("semaphore");
            let mut out = Vec::new();
            // The first mode may create the collection; the second reuses it.
            let mut target = target;
            for (serial, (mode, verdict, exclude, failing)) in plan.into_iter().enumerate() {
                let result =
                    create(&client, &vm_id, &location, target.clone(), mode, exclude, serial).await;
                if target.is_none() && result.is_ok() {
                    target = ResourceId::parse(&format!(
                        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/restorePointCollections/{}-agreement-rpc",
                        vm_id.subscription_id(),
                        vm_id.resource_group().unwrap_or_default(),
                        vm_id.name()
                    ))
                    .ok();
                }
                let refused = result.is_err();
                let engine_refuses = verdict == Verdict::NotSupported;
                let accepted_kind = matches!(
                    verdict,
                    Verdict::Supported | Verdict::SupportedWithExclusions
                );
                if refused != engine_refuses || (accepted_kind && refused) {
                    out.push(Disagreement {
                        vm: vm_id.name().to_owned(),
                        mode,
                        verdict,
                        failing_rules: failing,
                        emulator: result,
                    });
                }
            }
            out
        });
    }
    let mut disagreements = Vec::new();
    while let Some(done) = tasks.join_next().await {
        disagreements.extend(done.expect("task"));
    }
    eprintln!(
        "{checked} VM-modes created in {:.1?} in all",
        started.elapsed()
    );
    disagreements.sort_by(|a, b| (&a.vm, a.mode).cmp(&(&b.vm, b.mode)));
    emu.shutdown().await;
    (disagreements, checked)
}

fn report(disagreements: &[Disagreement]) -> String {
    disagreements
        .iter()
        .map(|d| {
            format!(
                "{} {}: engine {} {:?}, emulator {:?}",
                d.vm, d.mode, d.verdict, d.failing_rules, d.emulator
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_and_emulator_agree_on_every_demo_vm_in_both_modes() {
    let (disagreements, checked) = check(EstateSpec::Demo, 1).await;
    assert!(checked >= 60, "checked {checked} VM-modes");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        report(&disagreements)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_and_emulator_agree_on_every_vm_of_large_2000_in_both_modes() {
    let step: usize = std::env::var("RPDESK_AGREEMENT_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(1);
    let (disagreements, checked) = check(EstateSpec::Large(2000), step).await;
    assert_eq!(checked, 2 * 2000_usize.div_ceil(step), "VMs × 2 modes");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        report(&disagreements)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_carries_a_vm_for_each_guest_warning() {
    use rpdesk::rules::RuleId;
    let (emu, client) = start(EstateSpec::Demo).await;
    let inv = load(client).await;
    let counts = RegionCounts::of(&inv);
    let now = Timestamp::from_unix_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    );
    let cases = [
        ("dr-sql-standby-01", RuleId::WindowsPastExtendedSupport),
        ("dev-build-02", RuleId::LinuxDistributionEndorsedByAzure),
        ("dr-web-01", RuleId::GuestAgentAvailableAndRecent),
        ("batch-flex-02", RuleId::LinuxPython27WithAProxy),
    ];
    for (name, rule) in cases {
        let vm = inv
            .vms
            .keys()
            .find(|id| id.name() == name)
            .unwrap_or_else(|| panic!("{name} is in the demo"));
        let source = inv.facts_source(vm, &counts).expect("facts");
        let [app, _] = assess_both(&source.facts(), now);
        let result = app.result(rule).expect("assessed");
        assert_eq!(
            result.outcome,
            Outcome::Warn,
            "{name} {rule}: {}",
            result.reason
        );
        assert_ne!(
            app.verdict,
            Verdict::NotSupported,
            "{name}: a warning never refuses"
        );
    }
    emu.shutdown().await;
}
