//! The rules engine and the emulator agree on everything both decide, over real HTTP:
//!
//! 1. **Throttles per mode.** For a deterministic sample of VMs, four restore point PUTs
//!    in each mode go to the emulator one after the other; before each, the engine (fed
//!    the PUTs rpdesk logged, with their mode, as the app's `CreationLog` holds them) says
//!    whether Azure throttles it. The engine says "throttled" exactly when the emulator
//!    answers 429: three a mode, separate budgets.
//! 2. **The copy throttle and the source's readiness.** For a sample of collections, four
//!    copies of a succeeded point go into one target collection in another region;
//!    `assess_copy` (fed the disk restore points' `snapshotAccessState`) says "not ready"
//!    exactly when the emulator refuses a Pending or instant access source (409
//!    `OperationNotAllowed`), otherwise "throttled" exactly when it answers 429, and the
//!    copies are platform-key encrypted, as the engine says.
//! 3. **Every VM × mode.** The engine says "not supported" exactly when the emulator
//!    refuses the restore point; a point the engine accepts is created when sent with the
//!    engine's exclude list, and the point the emulator made holds the disks the engine
//!    says it captures, excludes the disks it excludes, has instant access exactly when the
//!    engine says so, and each disk restore point has the encryption the engine predicts.
//!
//! The inventory is loaded through the app's own backend (`Backend::load_all`), so the
//! facts are the ones the UI assesses. In phase 3 the cadence rules (minimum frequency,
//! PUTs per hour) are neutralised on both sides — the emulator's `/_emulator/limits` are
//! relaxed and the engine assesses two days after the last point — because each VM gets
//! two points in a row; phases 1 and 2 are where the throttles are compared (and
//! `rules::tests::cadence`, `tests/emulator/rules.rs` test them on their own). Phases 1 and
//! 2 run on a real-time clock (an hour of virtual time must outlast them); phase 3 on a
//! fast one, points created concurrently (per VM one mode after the other).
//!
//! Every VM of `large:2000` is checked in phase 3 (4000 creations, 7598 disk restore
//! points compared), every 50th in phase 1 (320 PUTs) and every 100th collection in phase
//! 2 (80 copies): about 42 s on the 2-core project machine, 15 s of it the throttle phases
//! on the real-time clock. `RPDESK_AGREEMENT_STEP=10` samples phase 3 too.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rpdesk::arm::{ArmClient, Cancel, ClientOptions, RestorePointRequest};
use rpdesk::auth::StaticToken;
use rpdesk::backend::{Backend, BackendEvent};
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use rpdesk::inventory::{CollectionLink, Inventory, RegionCounts};
use rpdesk::model::{
    ProvisioningState, ResourceId, RestorePoint, RestorePointCollection, Timestamp,
};
use rpdesk::rules::{
    Assessment, CopyFacts, Mode, Outcome, PointPut, RuleId, Verdict, assess, assess_both,
    assess_copy,
};
use serde_json::{Value, json};

const CRP: &str = "2025-04-01";

/// One decision the two sides take differently.
#[derive(Debug)]
struct Disagreement {
    what: String,
    engine: String,
    emulator: String,
}

impl std::fmt::Display for Disagreement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: engine {}; emulator {}",
            self.what, self.engine, self.emulator
        )
    }
}

/// What was compared, for the report.
#[derive(Debug, Default)]
struct Figures {
    vm_modes: usize,
    points_compared: usize,
    disks_compared: usize,
    throttle_puts: usize,
    throttled: usize,
    copy_puts: usize,
    copies_throttled: usize,
    /// Copies the engine refused because a source snapshot was not copyable yet.
    copies_not_ready: usize,
}

fn options() -> ClientOptions {
    ClientOptions {
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        default_poll_interval: Duration::from_millis(40),
        max_poll_interval: Duration::from_millis(40),
        per_subscription_concurrency: 64,
        total_concurrency: 64,
        buckets: None,
        ..Default::default()
    }
}

async fn start(estate: EstateSpec) -> (RunningEmulator, ArmClient) {
    let emu = crate::client_support::emulator_with(EmulatorConfig {
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

/// A PUT as it goes on the wire, without the client's retries: the status says whether
/// the emulator throttled it.
async fn put_raw(emu: &RunningEmulator, id: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .put(format!("{}{id}?api-version={CRP}", emu.base_url()))
        .bearer_auth("test-token")
        .json(&body)
        .send()
        .await
        .expect("PUT");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Sends one PUT the engine judged first: whether the emulator throttled it, its status
/// and body, and whether the two sides agree.
async fn judged_put(
    emu: &RunningEmulator,
    id: &str,
    body: Value,
    engine_throttles: bool,
) -> (bool, u16, Value, bool) {
    let (status, body) = put_raw(emu, id, body).await;
    let throttled = status == 429;
    (throttled, status, body, throttled == engine_throttles)
}

/// The emulator's virtual clock.
async fn clock(emu: &RunningEmulator) -> Timestamp {
    let c = admin(emu, reqwest::Method::GET, "clock", Value::Null).await;
    Timestamp::from_unix_secs(c["unixSeconds"].as_f64().expect("clock") as i64)
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

/// A collection id in the VM's resource group.
fn collection_beside(vm: &ResourceId, name: &str) -> ResourceId {
    ResourceId::parse(&format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/restorePointCollections/{name}",
        vm.subscription_id(),
        vm.resource_group().unwrap_or_default(),
    ))
    .expect("collection id")
}

/// Phase 1: four PUTs per mode per sampled VM, each judged by both sides first.
async fn check_put_throttles(
    emu: &RunningEmulator,
    client: &ArmClient,
    inv: &Inventory,
    sample: &[ResourceId],
    figures: &mut Figures,
) -> Vec<Disagreement> {
    let counts = RegionCounts::of(inv);
    let mut out = Vec::new();
    for vm_id in sample {
        let Some(mut source) = inv.facts_source(vm_id, &counts) else {
            continue;
        };
        // A collection of its own, so every PUT reaches the VM's budget.
        let rpc = collection_beside(vm_id, &format!("{}-throttle-rpc", vm_id.name()));
        client
            .put_collection(&rpc, &source.vm.location, vm_id, None, &BTreeMap::new())
            .await
            .expect("throttle collection");
        let now = clock(emu).await;
        for mode in [Mode::ApplicationConsistent, Mode::CrashConsistent] {
            for i in 0..4 {
                let facts = source.facts();
                let a = assess(&facts, mode, now);
                let engine = a
                    .result(RuleId::AtMost3PutsPerHour)
                    .is_some_and(|r| r.outcome == Outcome::Fail);
                let (emulator, status, body, agree) = judged_put(
                    emu,
                    &format!("{}/restorePoints/throttle-{mode:?}-{i}", rpc.as_str()),
                    json!({ "properties": { "consistencyMode": mode.to_consistency() } }),
                    engine,
                )
                .await;
                figures.throttle_puts += 1;
                figures.throttled += usize::from(emulator);
                if !agree {
                    out.push(Disagreement {
                        what: format!("{} {mode} PUT {}", vm_id.name(), i + 1),
                        engine: format!(
                            "throttled {engine} ({:?})",
                            a.result(RuleId::AtMost3PutsPerHour).map(|r| &r.reason)
                        ),
                        emulator: format!("{status} {body}"),
                    });
                }
                if !emulator {
                    // rpdesk logs every PUT it sends, refused ones included.
                    source.creation.puts.push(PointPut { at: now, mode });
                }
            }
        }
    }
    out
}

/// A collection in the engine's model, as ARM would list the new copy target.
fn target_model(id: &ResourceId, region: &str, source: &ResourceId) -> RestorePointCollection {
    serde_json::from_value(json!({
        "id": id.as_str(), "name": id.name(), "location": region,
        "properties": { "source": { "id": source.as_str() }, "restorePoints": [] }
    }))
    .expect("collection json")
}

/// Phase 2: four copies of one point into one target collection per sampled collection.
async fn check_copy_throttles(
    emu: &RunningEmulator,
    client: &ArmClient,
    inv: &Inventory,
    every: usize,
    figures: &mut Figures,
) -> Vec<Disagreement> {
    let mut sources: Vec<&ResourceId> = inv
        .collections
        .iter()
        .filter(|(_, e)| matches!(e.link, CollectionLink::Vm(_)))
        .map(|(id, _)| id)
        .collect();
    sources.sort();
    let mut out = Vec::new();
    for source_id in sources.into_iter().step_by(every) {
        let Some(source) = inv.collection_with_points(source_id) else {
            continue;
        };
        let Some(point) = source
            .restore_points()
            .iter()
            .rev()
            .find(|p| p.properties.provisioning_state == Some(ProvisioningState::Succeeded))
        else {
            continue;
        };
        let region = if rpdesk::rules::normalize_region(&source.location) == "westcentralus" {
            "eastus2"
        } else {
            "westcentralus"
        };
        let target_id = ResourceId::parse(&format!("{}-agreement-copy", source_id.as_str()))
            .expect("target id");
        client
            .put_collection(&target_id, region, source_id, None, &BTreeMap::new())
            .await
            .expect("copy target collection");
        let target = target_model(&target_id, region, source_id);
        let disk_access: Vec<_> = client
            .list_disk_restore_points(&point.id)
            .await
            .expect("disk restore points")
            .into_iter()
            .filter_map(|d| Some((d.name, d.properties.snapshot_access_state?)))
            .collect();
        let now = clock(emu).await;
        let mut logged = Vec::new();
        for i in 0..4 {
            let mut facts = CopyFacts::new(point, &source, region);
            facts.target = Some(&target);
            facts.recent_copies = logged.clone();
            facts.disk_access = Some(disk_access.clone());
            let a = assess_copy(&facts, now);
            let fails = |rule: RuleId| {
                a.results
                    .iter()
                    .any(|r| r.rule == rule && r.outcome == Outcome::Fail)
            };
            let not_ready = fails(RuleId::CopyNeedsCopyableSnapshots);
            let engine = fails(RuleId::AtMost3CopiesPerTargetCollectionPerHour);
            let (emulator, status, body, throttle_agrees) = judged_put(
                emu,
                &format!("{}/restorePoints/copy-{i}", target_id.as_str()),
                json!({ "properties": { "sourceRestorePoint": { "id": point.id.as_str() } } }),
                engine,
            )
            .await;
            figures.copy_puts += 1;
            figures.copies_throttled += usize::from(emulator);
            figures.copies_not_ready += usize::from(not_ready);
            // A source that is not ready is refused whatever the throttle says (409
            // OperationNotAllowed); a ready one is throttled exactly when the engine says.
            let refused_not_ready = status == 409 && body["error"]["code"] == "OperationNotAllowed";
            let agree = if not_ready || refused_not_ready {
                not_ready && refused_not_ready
            } else {
                throttle_agrees
            };
            if !agree {
                out.push(Disagreement {
                    what: format!(
                        "copy {} of {} into {}",
                        i + 1,
                        point.name(),
                        target_id.name()
                    ),
                    engine: format!("throttled {engine}, not ready {not_ready}"),
                    emulator: format!("{status} {body}"),
                });
            }
            if status == 201 {
                // Seed 000: "CMK-encrypted restore points are copied as PMK-encrypted".
                for (name, kind) in encryption_of_body(&body) {
                    if kind != rpdesk::rules::PLATFORM_KEY {
                        out.push(Disagreement {
                            what: format!("copy {} of {}: disk {name}", i + 1, point.name()),
                            engine: format!("encrypted {}", rpdesk::rules::PLATFORM_KEY),
                            emulator: format!("encrypted {kind}"),
                        });
                    }
                }
            }
            if status == 201 {
                logged.push(now);
            }
        }
    }
    out
}

/// `(disk name, diskRestorePoint.encryption.type)` of every captured disk in a point body.
fn encryption_of_body(body: &Value) -> Vec<(String, String)> {
    let sp = &body["properties"]["sourceMetadata"]["storageProfile"];
    std::iter::once(&sp["osDisk"])
        .chain(sp["dataDisks"].as_array().into_iter().flatten())
        .filter(|d| !d.is_null())
        .map(|d| {
            (
                d["name"].as_str().unwrap_or_default().to_owned(),
                d["diskRestorePoint"]["encryption"]["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

/// Creates one point for a VM, as rpdesk would: into the engine's target collection, or a
/// new one when the VM has none.
async fn create(
    client: &ArmClient,
    vm: &ResourceId,
    location: &str,
    target: Option<ResourceId>,
    mode: Mode,
    exclude_disks: Vec<ResourceId>,
    serial: usize,
) -> Result<RestorePoint, String> {
    let collection = match target {
        Some(c) => c,
        None => {
            let id = collection_beside(vm, &format!("{}-agreement-rpc", vm.name()));
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
        .map_err(|e| e.to_string())
}

fn lower_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = ids
        .map(|s| s.trim_end_matches('/').to_ascii_lowercase())
        .collect();
    v.sort();
    v
}

/// What the emulator made of a point the engine accepted, against what the engine said.
fn compare_point(vm: &str, a: &Assessment, p: &RestorePoint) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut differ = |what: &str, engine: String, emulator: String| {
        if engine != emulator {
            out.push(Disagreement {
                what: format!("{vm} {}: {what}", a.mode),
                engine,
                emulator,
            });
        }
    };
    let captured = p.captured_disks();
    let emulator_captured = lower_ids(
        captured
            .iter()
            .filter_map(|d| d.managed_disk.as_ref()?.id.as_deref()),
    );
    let engine_captured = lower_ids(a.captured.iter().map(|d| d.id.as_str()));
    differ(
        "captured disks",
        format!("{engine_captured:?}"),
        format!("{emulator_captured:?}"),
    );
    differ(
        "excluded disks",
        format!(
            "{:?}",
            lower_ids(a.exclude_disks.iter().map(|d| d.as_str()))
        ),
        format!(
            "{:?}",
            lower_ids(p.properties.exclude_disks.iter().map(|d| d.id.as_str()))
        ),
    );
    differ(
        "instant access",
        a.instant_access.to_string(),
        p.properties
            .instant_access_duration_minutes
            .is_some()
            .to_string(),
    );
    for d in captured {
        let id = d
            .managed_disk
            .as_ref()
            .and_then(|m| m.id.as_deref())
            .unwrap_or_default();
        let engine = a
            .captured
            .iter()
            .find(|c| c.id.as_str().eq_ignore_ascii_case(id))
            .map_or("not captured", |c| c.encryption);
        let emulator = d
            .disk_restore_point
            .as_ref()
            .and_then(|r| r.encryption.as_ref())
            .and_then(|e| e.kind.as_deref())
            .unwrap_or("none");
        differ(
            &format!("encryption of {}", d.name.as_deref().unwrap_or(id)),
            engine.to_owned(),
            emulator.to_owned(),
        );
    }
    out
}

/// Phase 3: every `step`-th VM in both modes.
async fn check_points(
    emu: &RunningEmulator,
    client: &ArmClient,
    inv: &Inventory,
    step: usize,
    figures: &mut Figures,
) -> Vec<Disagreement> {
    admin(
        emu,
        reqwest::Method::PUT,
        "limits",
        json!({ "putsPerVmPerHour": 1_000_000, "appConsistentIntervalSecs": 0.0,
                "crashConsistentIntervalSecs": 0.0 }),
    )
    .await;
    // Two days on: every minimum-frequency window and PUT-per-hour window has passed.
    let now = Timestamp::from_unix_secs(clock(emu).await.unix_secs() + 2 * 86_400);
    let counts = RegionCounts::of(inv);
    let mut vm_ids: Vec<ResourceId> = inv.vms.keys().cloned().collect();
    vm_ids.sort();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(48));
    let mut tasks = tokio::task::JoinSet::new();
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
        figures.vm_modes += both.len();
        let (client, vm_id, semaphore) = (client.clone(), vm_id.clone(), semaphore.clone());
        tasks.spawn(async move {
            let _permit = semaphore.acquire().await.expect("semaphore");
            let mut out = Vec::new();
            let mut compared = (0, 0);
            // The first mode may create the collection; the second reuses it.
            let mut target = target;
            for (serial, a) in both.into_iter().enumerate() {
                let result = create(
                    &client,
                    &vm_id,
                    &location,
                    target.clone(),
                    a.mode,
                    a.exclude_disks.clone(),
                    serial,
                )
                .await;
                if target.is_none() && result.is_ok() {
                    target = Some(collection_beside(
                        &vm_id,
                        &format!("{}-agreement-rpc", vm_id.name()),
                    ));
                }
                let engine_refuses = a.verdict == Verdict::NotSupported;
                let accepted = matches!(
                    a.verdict,
                    Verdict::Supported | Verdict::SupportedWithExclusions
                );
                match &result {
                    Ok(point) if accepted => {
                        compared.0 += 1;
                        compared.1 += point.captured_disks().len();
                        out.extend(compare_point(vm_id.name(), &a, point));
                    }
                    Err(_) if engine_refuses => {}
                    _ => {
                        let failing: Vec<String> = a
                            .results
                            .iter()
                            .filter(|r| r.outcome == Outcome::Fail)
                            .map(|r| format!("{}: {}", r.rule, r.reason))
                            .collect();
                        out.push(Disagreement {
                            what: format!("{} {}", vm_id.name(), a.mode),
                            engine: format!("{} {failing:?}", a.verdict),
                            emulator: match &result {
                                Ok(_) => "created the point".to_owned(),
                                Err(e) => format!("refused: {e}"),
                            },
                        });
                    }
                }
            }
            (out, compared)
        });
    }
    let mut disagreements = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (found, (points, disks)) = done.expect("task");
        disagreements.extend(found);
        figures.points_compared += points;
        figures.disks_compared += disks;
    }
    disagreements
}

/// Runs the three phases; returns the disagreements and what was compared.
async fn check(
    estate: EstateSpec,
    step: usize,
    throttle_every: usize,
    copy_every: usize,
) -> (Vec<Disagreement>, Figures) {
    let (emu, client) = start(estate).await;
    let started = std::time::Instant::now();
    let inv = load(client.clone()).await;
    eprintln!(
        "inventory of {} VMs loaded in {:.1?}",
        inv.vms.len(),
        started.elapsed()
    );
    let mut figures = Figures::default();
    let mut vm_ids: Vec<ResourceId> = inv.vms.keys().cloned().collect();
    vm_ids.sort();
    let sample: Vec<ResourceId> = vm_ids.iter().step_by(throttle_every).cloned().collect();

    // Phases 1 and 2 on a real-time clock, so that their PUTs fall in one virtual hour.
    admin(
        &emu,
        reqwest::Method::POST,
        "clock/advance",
        json!({ "speed": 1.0 }),
    )
    .await;
    let mut disagreements = check_put_throttles(&emu, &client, &inv, &sample, &mut figures).await;
    disagreements.extend(check_copy_throttles(&emu, &client, &inv, copy_every, &mut figures).await);
    // Let their points and copies finish, and their hour pass, before phase 3.
    admin(
        &emu,
        reqwest::Method::POST,
        "clock/advance",
        json!({ "seconds": 3.0 * 3600.0, "speed": 3600.0 }),
    )
    .await;
    let throttles_done = started.elapsed();

    disagreements.extend(check_points(&emu, &client, &inv, step, &mut figures).await);
    eprintln!(
        "{figures:?}; throttles in {throttles_done:.1?}, everything in {:.1?}",
        started.elapsed()
    );
    emu.shutdown().await;
    (disagreements, figures)
}

fn report(disagreements: &[Disagreement]) -> String {
    disagreements
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_and_emulator_agree_on_every_demo_vm_in_both_modes() {
    let (disagreements, figures) = check(EstateSpec::Demo, 1, 1, 1).await;
    assert!(figures.vm_modes >= 60, "{figures:?}");
    assert!(figures.points_compared >= 40, "{figures:?}");
    assert!(
        figures.throttled >= 60,
        "each VM's fourth PUT in each mode: {figures:?}"
    );
    assert!(figures.copies_throttled >= 20, "{figures:?}");
    assert_eq!(
        figures.copies_throttled + figures.copies_not_ready / 4,
        figures.copy_puts / 4,
        "each sampled source: its fourth copy throttled, or all four refused as not ready: {figures:?}"
    );
    assert!(
        figures.copies_not_ready >= 4,
        "etl-pv2-01's newest point is still Pending: {figures:?}"
    );
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
    let (disagreements, figures) = check(EstateSpec::Large(2000), step, 50, 100).await;
    assert_eq!(
        figures.vm_modes,
        2 * 2000_usize.div_ceil(step),
        "VMs × 2 modes"
    );
    assert_eq!(figures.throttle_puts, 40 * 8, "{figures:?}");
    assert_eq!(figures.copy_puts, 20 * 4, "{figures:?}");
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
