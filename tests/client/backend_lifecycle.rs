//! The backend's clean-ups and label mirroring against the emulator: a clean-up stays
//! within ARM's write budget, Stop ends it with only the reported points gone, and labels
//! land in the collection's tags beside its other tags.

use std::sync::Arc;
use std::time::Duration;

use rpdesk::activity::{ActivityEvent, ActivityStatus};
use rpdesk::arm::ArmClient;
use rpdesk::backend::lifecycle::LifecycleEvent;
use rpdesk::backend::{Backend, BackendEvent};
use rpdesk::lifecycle::{Outcome, PointLabel};
use rpdesk::model::ResourceId;

use crate::client_support::{DEV, PROD, client, emulator_with};

fn backend(client: &ArmClient) -> (Backend, tokio::sync::mpsc::Receiver<BackendEvent>) {
    Backend::new(
        client.clone(),
        tokio::runtime::Handle::current(),
        Arc::new(|| {}),
    )
}

fn rpc(sub: &str, rg: &str, name: &str) -> ResourceId {
    ResourceId::parse(&format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/restorePointCollections/{name}"
    ))
    .expect("id")
}

/// dev-build-02's collection: 410 points, `rp-build-001` the oldest.
fn build_rpc() -> ResourceId {
    rpc(DEV, "rg-dev-build", "dev-build-02-rpc")
}

fn oldest(n: usize) -> Vec<ResourceId> {
    (1..=n)
        .map(|i| build_rpc().child("restorePoints", &format!("rp-build-{i:03}")))
        .collect()
}

async fn point_names(client: &ArmClient, collection: &ResourceId) -> Vec<String> {
    client
        .get_collection(collection, true)
        .await
        .expect("collection")
        .restore_points()
        .iter()
        .map(|p| p.name().to_owned())
        .collect()
}

/// Events until the clean-up ends (its points' outcomes, in order, and whether it was
/// stopped); `stop_after` points in, it presses Stop.
async fn run_cleanup(
    backend: &Backend,
    rx: &mut tokio::sync::mpsc::Receiver<BackendEvent>,
    points: Vec<ResourceId>,
    stop_after: Option<usize>,
) -> (Vec<(ResourceId, Outcome)>, bool) {
    backend.run_cleanup(7, "Clean up dev-build-02".into(), points);
    let mut outcomes = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the clean-up ends in time")
            .expect("backend alive");
        match event {
            BackendEvent::Lifecycle(LifecycleEvent::CleanupStarted { token, activity }) => {
                assert_eq!(token, 7);
                if stop_after == Some(0) {
                    backend.cancel(activity);
                }
            }
            BackendEvent::Lifecycle(LifecycleEvent::CleanupPoint {
                token,
                point_id,
                outcome,
            }) => {
                assert_eq!(token, 7);
                outcomes.push((point_id, outcome));
            }
            BackendEvent::Lifecycle(LifecycleEvent::CleanupEnded { token, cancelled }) => {
                assert_eq!(token, 7);
                return (outcomes, cancelled);
            }
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cleanup_of_210_points_stays_within_the_write_budget() {
    let emu = emulator_with(rpdesk::emulator::EmulatorConfig {
        speed: 600.0,
        ..Default::default()
    })
    .await;
    let client = client(&emu);
    let (backend, mut rx) = backend(&client);
    let points = oldest(210);
    let (outcomes, cancelled) = run_cleanup(&backend, &mut rx, points.clone(), None).await;
    assert!(!cancelled);
    assert_eq!(outcomes.len(), 210);
    assert!(
        outcomes.iter().all(|(_, o)| *o == Outcome::Deleted),
        "{:?}",
        outcomes.iter().find(|(_, o)| *o != Outcome::Deleted)
    );
    assert_eq!(
        client.stats().throttled,
        0,
        "paced within ARM's 200 + 10/s, never throttled"
    );
    let left = point_names(&client, &build_rpc()).await;
    assert_eq!(left.len(), 410 - 210);
    assert!(points.iter().all(|p| !left.iter().any(|n| n == p.name())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_a_cleanup_and_only_the_points_it_reported_are_gone() {
    let emu = crate::client_support::emulator().await;
    let client = client(&emu);
    let (backend, mut rx) = backend(&client);
    let (outcomes, cancelled) = run_cleanup(&backend, &mut rx, oldest(60), Some(0)).await;
    assert!(cancelled, "stopped");
    assert!(
        outcomes.len() < 60,
        "{} of 60 done: Stop came before the end",
        outcomes.len()
    );
    let left = point_names(&client, &build_rpc()).await;
    assert_eq!(
        left.len(),
        410 - outcomes.len(),
        "only the reported ones went"
    );
    for (id, outcome) in &outcomes {
        assert_eq!(*outcome, Outcome::Deleted);
        assert!(!left.iter().any(|n| n == id.name()), "{id} went");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_are_mirrored_into_the_collections_tags_beside_its_others() {
    let emu = crate::client_support::emulator().await;
    let client = client(&emu);
    let (backend, mut rx) = backend(&client);
    let collection = rpc(PROD, "rg-sql-prod", "sql-prod-02-rpc");
    let mut before = client
        .get_collection(&collection, false)
        .await
        .expect("collection")
        .tags;
    before.insert("team".into(), "dba".into());
    client
        .patch_collection_tags(&collection, &before)
        .await
        .expect("a tag of its own");
    let label = PointLabel {
        ticket: "CHG-1234".into(),
        reason: "before the patch".into(),
        owner: "alice".into(),
        pinned: true,
    };
    backend.mirror_labels(
        collection.clone(),
        vec![("rp-002-app".into(), label.clone())],
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the mirror ends in time")
            .expect("backend alive");
        if let BackendEvent::Activity(ActivityEvent::Finished { status, .. }) = event {
            assert_eq!(status, ActivityStatus::Succeeded);
            break;
        }
    }
    let tags = client
        .get_collection(&collection, false)
        .await
        .expect("collection")
        .tags;
    assert_eq!(
        tags.get("rpdesk-label-rp-002-app"),
        Some(&label.tag_value())
    );
    assert_eq!(tags.get("team").map(String::as_str), Some("dba"), "kept");
    assert_eq!(tags.len(), before.len() + 1);
}
