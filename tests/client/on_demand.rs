//! Near Azure's limit of collections in a subscription-region (Contoso CI's 8,120 in
//! eastus), points are read on demand: the load lists those collections without reading
//! each, and reading them all is asked for.

use rpdesk::arm::{ArmClient, ClientOptions};
use rpdesk::auth::StaticToken;
use rpdesk::backend::headless::Headless;
use rpdesk::emulator::EmulatorConfig;
use rpdesk::inventory::Loadable;

use crate::common;

const CI: &str = "5d0e8a31-6b2f-4c7d-9e14-7a3c2b9f4d04";

fn ci_collections(
    inv: &rpdesk::inventory::Inventory,
) -> impl Iterator<Item = &Loadable<Vec<rpdesk::model::ResourceId>>> {
    inv.collections
        .iter()
        .filter(|(id, _)| id.subscription_id() == CI)
        .map(|(_, c)| &c.points)
}

/// Without ARM's pacing (the emulator's buckets and the client's off) so that reading
/// 8,120 collections takes seconds, not ARM's five minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_lists_them_unread_and_reading_them_all_reads_each_once() {
    let emu = common::start_with(EmulatorConfig {
        throttling: false,
        ..Default::default()
    })
    .await;
    let client = ArmClient::new(
        &emu.base,
        std::sync::Arc::new(StaticToken::new(emu.token.clone())),
        ClientOptions {
            buckets: None,
            ..Default::default()
        },
    )
    .unwrap();
    let mut loader = Headless::new(client.clone());
    loader.load_all().await.unwrap();
    let inv = &loader.inventory;
    assert_eq!(ci_collections(inv).count(), 8_120);
    assert!(
        ci_collections(inv).all(|p| matches!(p, Loadable::NotRequested)),
        "listed, not read"
    );
    assert_eq!(inv.progress().collections_on_demand, 8_120);
    assert!(
        inv.progress().is_complete(),
        "the load is done without them"
    );
    assert!(
        inv.collections
            .iter()
            .filter(|(id, _)| id.subscription_id() != CI)
            .all(|(_, c)| c.points.value().is_some()),
        "every other collection is read"
    );
    let before = client.stats().requests;
    // Listing them took a page per 20: far fewer reads than one per collection.
    assert!(before < 1_000, "{before} requests");

    loader.read_on_demand().await.unwrap();
    let inv = &loader.inventory;
    assert!(
        ci_collections(inv).all(|p| matches!(p, Loadable::Ready(points) if points.is_empty())),
        "every one read, and empty"
    );
    assert_eq!(inv.progress().collections_on_demand, 0);
    assert_eq!(client.stats().requests - before, 8_120, "one read each");
}
