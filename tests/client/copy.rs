//! Cross-region copies through the client, against the emulator over HTTP: the copy PUT
//! answers at once with the point `Creating`, and its instance view then reports each
//! disk restore point's `completionPercent` up to 100.

use std::collections::BTreeMap;
use std::time::Duration;

use rpdesk::emulator::EmulatorConfig;
use rpdesk::inventory::{CopyProgress, CopyState};
use rpdesk::model::{ProvisioningState, ResourceId};

fn id(text: &str) -> ResourceId {
    ResourceId::parse(text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_starts_at_once_and_its_disks_reach_100_percent() {
    // 600 virtual seconds a second: the 1 TB disk's 39 minutes pass in about 4 s.
    let emu = crate::client_support::emulator_with(EmulatorConfig {
        speed: 600.0,
        ..Default::default()
    })
    .await;
    let c = crate::client_support::client(&emu);
    let source = id(&format!(
        "/subscriptions/{}/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc",
        crate::client_support::DEV
    ));
    let target = id(&format!("{source}-westeurope"));
    c.put_collection(&target, "westeurope", &source, None, &BTreeMap::new())
        .await
        .unwrap();
    let copy_id = target.child("restorePoints", "rp-014-app-westeurope");
    let started = c
        .begin_copy_restore_point(&copy_id, &source.child("restorePoints", "rp-014-app"))
        .await
        .unwrap();
    assert_eq!(
        started.properties.provisioning_state,
        Some(ProvisioningState::Creating),
        "the PUT answers before the copy is done"
    );
    assert_eq!(started.id, copy_id);

    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let done = loop {
        let point = c.get_restore_point(&copy_id, true).await.unwrap();
        let progress = CopyProgress::of(&point);
        assert!(
            !matches!(progress.state, CopyState::Failed(_)),
            "{progress:?}"
        );
        seen.push(progress.clone());
        if progress.state == CopyState::Done {
            break progress;
        }
        assert!(tokio::time::Instant::now() < deadline, "{seen:?}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    assert_eq!(done.disks.len(), 2);
    assert!(done.disks.iter().all(|d| d.percent == 100.0));
    assert!(
        seen.iter().any(|p| p.disks.len() == 2
            && p.disks[0].percent == 100.0
            && p.disks[1].percent < 100.0),
        "the OS disk (30 GB) was copied before the data disk (1 TB): {seen:?}"
    );
    let overall: Vec<f64> = seen.iter().map(CopyProgress::percent).collect();
    assert!(
        overall.windows(2).all(|w| w[0] <= w[1]),
        "progress only rises: {overall:?}"
    );
    assert!(
        overall.iter().any(|p| *p > 0.0 && *p < 100.0),
        "progress was seen on the way: {overall:?}"
    );
}
