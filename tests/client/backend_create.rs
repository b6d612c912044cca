//! The backend's restore point queue against the emulator: it waits for the allowed
//! time instead of sending early, reports progress in the activity log, creates a
//! collection when the VM has none, and reloads the points.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rpdesk::activity::{ActivityEvent, ActivityStatus};
use rpdesk::backend::{Backend, BackendEvent};
use rpdesk::inventory::{CreatePointPlan, InventoryEvent, default_collection_id};
use rpdesk::model::{ResourceId, Timestamp};
use rpdesk::rules::Mode;

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Collects events until the activity finishes; returns them all.
async fn run(
    backend: &Backend,
    rx: &mut tokio::sync::mpsc::Receiver<BackendEvent>,
    plan: CreatePointPlan,
) -> Vec<BackendEvent> {
    backend.create_restore_point(plan);
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the creation finishes in time")
            .expect("backend alive");
        let done = matches!(
            event,
            BackendEvent::Inventory(InventoryEvent::CreationDone { .. })
        );
        events.push(event);
        if done {
            return events;
        }
    }
}

fn status(events: &[BackendEvent]) -> Option<&ActivityStatus> {
    events.iter().find_map(|e| match e {
        BackendEvent::Activity(ActivityEvent::Finished { status, .. }) => Some(status),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_waits_for_the_allowed_time_and_creates_the_collection_first() {
    let emu = crate::client_support::emulator_with(rpdesk::emulator::EmulatorConfig {
        // A fast emulator clock shortens the LRO; the wait is on the wall clock.
        speed: 60.0,
        ..Default::default()
    })
    .await;
    let client = crate::client_support::client(&emu);
    let (backend, mut rx) = Backend::new(
        client.clone(),
        tokio::runtime::Handle::current(),
        Arc::new(|| {}),
    );
    // dev-sandbox-01 has no collection yet.
    let vm = crate::client_support::vm_id(
        crate::client_support::DEV,
        "rg-dev-sandbox",
        "dev-sandbox-01",
    );
    let collection = default_collection_id(&vm).expect("collection id");
    let not_before = now_unix() + 2;
    let plan = CreatePointPlan {
        vm_id: vm.clone(),
        location: "northeurope".into(),
        collection_id: collection.clone(),
        create_collection: true,
        point_name: "rp-queued".into(),
        mode: Mode::CrashConsistent,
        exclude_disks: Vec::new(),
        instant_access_minutes: None,
        not_before: Some(Timestamp::from_unix_secs(not_before)),
    };
    let started = Instant::now();
    let events = run(&backend, &mut rx, plan).await;
    assert_eq!(
        status(&events),
        Some(&ActivityStatus::Succeeded),
        "{events:#?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900), "it waited");
    let waited = events.iter().any(|e| matches!(e,
        BackendEvent::Activity(ActivityEvent::Progress { status, .. }) if status.contains("Waiting until")));
    assert!(waited, "the wait is in the activity log");
    let put_at = events
        .iter()
        .find_map(|e| match e {
            BackendEvent::Inventory(InventoryEvent::CreationPut { at, .. }) => Some(at.unix_secs()),
            _ => None,
        })
        .expect("the PUT is recorded");
    assert!(put_at >= not_before, "sent no earlier than allowed");
    let point =
        ResourceId::parse(&format!("{}/restorePoints/rp-queued", collection.as_str())).expect("id");
    let got = client
        .get_restore_point(&point, false)
        .await
        .expect("the point exists");
    assert_eq!(
        got.properties.consistency_mode,
        Some(rpdesk::model::ConsistencyMode::CrashConsistent)
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_creation_can_be_cancelled_while_it_waits() {
    let emu = crate::client_support::emulator().await;
    let client = crate::client_support::client(&emu);
    let (backend, mut rx) =
        Backend::new(client, tokio::runtime::Handle::current(), Arc::new(|| {}));
    let vm = crate::client_support::vm_id(
        crate::client_support::DEV,
        "rg-dev-sandbox",
        "dev-sandbox-01",
    );
    let plan = CreatePointPlan {
        vm_id: vm.clone(),
        location: "northeurope".into(),
        collection_id: default_collection_id(&vm).expect("collection id"),
        create_collection: true,
        point_name: "rp-never".into(),
        mode: Mode::CrashConsistent,
        exclude_disks: Vec::new(),
        instant_access_minutes: None,
        // An hour away: the queue waits, and the user gives up.
        not_before: Some(Timestamp::from_unix_secs(now_unix() + 3600)),
    };
    backend.create_restore_point(plan);
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("in time")
            .expect("backend alive");
        if let BackendEvent::Activity(ActivityEvent::Progress { id, status, .. }) = &event
            && status.contains("Waiting until")
        {
            backend.cancel(*id);
        }
        let done = matches!(
            event,
            BackendEvent::Inventory(InventoryEvent::CreationDone { .. })
        );
        events.push(event);
        if done {
            break;
        }
    }
    assert_eq!(
        status(&events),
        Some(&ActivityStatus::Cancelled),
        "{events:#?}"
    );
    let sent = events.iter().any(|e| {
        matches!(
            e,
            BackendEvent::Inventory(InventoryEvent::CreationPut { .. })
        )
    });
    assert!(!sent, "no PUT went out");
}
