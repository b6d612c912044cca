//! The price loader over real HTTP against the emulator's Retail Prices endpoint: several
//! pages, a page whose NextPageLink comes back empty, a 429, a dropped connection, an
//! unreachable endpoint (the embedded table, with its date), the cache on disk, and the
//! ARM token never sent to the prices endpoint.

use std::time::Duration;

use crate::common;
use reqwest::Method;
use rpdesk::arm::{ClientOptions, PricesClient};
use rpdesk::backend::prices::{PricesRequest, load_prices};
use rpdesk::cost::{EMBEDDED_AS_OF, PriceBasis, PriceSource};
use rpdesk::emulator::EmulatorConfig;
use serde_json::json;

/// The seven regions of the demo estate: 14 snapshot rows, so 5 pages of 3.
fn regions() -> Vec<String> {
    [
        "eastus",
        "eastus2",
        "centralus",
        "westus",
        "westus2",
        "northeurope",
        "westeurope",
    ]
    .map(String::from)
    .to_vec()
}

const PAGE: usize = 3;
const NOW: i64 = 1_795_309_200;

fn options() -> ClientOptions {
    ClientOptions {
        max_retries: 3,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(50),
        proxy: rpdesk::arm::ProxyConfig::none(),
        ..Default::default()
    }
}

async fn emulator() -> common::Emu {
    common::start_with(EmulatorConfig {
        page_size: PAGE,
        token: Some("arm-secret".into()),
        ..Default::default()
    })
    .await
}

/// Adds a fault rule through the emulator's admin API.
async fn inject(emu: &common::Emu, rule: serde_json::Value) {
    emu.admin(Method::POST, "faults", Some(rule)).await;
}

fn client(base: &str) -> PricesClient {
    PricesClient::new(base, options())
        .expect("client")
        .with_page_size(PAGE)
}

fn request(endpoint: Option<String>, cache_dir: Option<std::path::PathBuf>) -> PricesRequest {
    PricesRequest {
        endpoint,
        cache_dir,
        cache_key: "test".into(),
        currency: "USD".into(),
        regions: regions(),
        refresh: false,
        now_unix: NOW,
        options: options(),
        page_size: PAGE,
    }
}

#[tokio::test]
async fn several_pages_are_followed_and_only_snapshot_rows_kept() {
    let emu = emulator().await;
    let c = client(&emu.base);
    let items = c.snapshot_prices(&regions(), "USD").await.expect("prices");
    assert_eq!(items.len(), 14, "two snapshot SKUs in each of 7 regions");
    assert_eq!(c.stats().requests, 5, "14 items in pages of 3");
    assert!(
        items
            .iter()
            .all(|i| i.product_name == "Standard HDD Managed Disks"),
        "the filter keeps look-alike meters out"
    );
    let book = load_prices(&request(Some(emu.base.clone()), None)).await;
    assert!(matches!(book.source, PriceSource::Live { .. }), "{book:?}");
    assert!(book.covers(&regions()));
    // West Europe has zones, so its points are ZRS: the sheet's 0.056, not the Premium
    // SSD snapshot row under the same meter name.
    let used = book.snapshot_price("westeurope");
    assert_eq!(
        (used.per_gib_month, used.basis),
        (0.056, PriceBasis::Listed)
    );
    assert_eq!(book.snapshot_price("westus").per_gib_month, 0.055);
    emu.emu.shutdown().await;
}

#[tokio::test]
async fn other_currencies_come_from_the_endpoint() {
    let emu = emulator().await;
    let mut req = request(Some(emu.base.clone()), None);
    req.currency = "EUR".into();
    let book = load_prices(&req).await;
    assert_eq!(book.currency, "EUR");
    assert_eq!(
        book.snapshot_price("eastus").per_gib_month,
        0.046,
        "0.05 × 0.92"
    );
    assert!(book.describe().ends_with("· EUR"), "{}", book.describe());
    emu.emu.shutdown().await;
}

#[tokio::test]
async fn a_full_page_with_an_empty_next_page_link_is_followed_by_a_skip() {
    let emu = emulator().await;
    inject(
        &emu,
        json!({ "kind": "emptyNextLink", "pathContains": "/api/retail/prices", "count": 1 }),
    )
    .await;
    let c = client(&emu.base);
    let items = c.snapshot_prices(&regions(), "USD").await.expect("prices");
    assert_eq!(items.len(), 14, "the $skip probe found the rest");
    let faults = emu.admin(Method::GET, "faults", None).await;
    assert_eq!(faults["faults"], json!([]), "the fault fired (and retired)");
    emu.emu.shutdown().await;
}

#[tokio::test]
async fn a_429_is_waited_out_and_a_dropped_connection_retried() {
    let emu = emulator().await;
    inject(
        &emu,
        json!({ "kind": "throttle", "pathContains": "retail", "count": 1, "retryAfter": 1 }),
    )
    .await;
    let c = client(&emu.base);
    let started = std::time::Instant::now();
    let items = c.snapshot_prices(&regions(), "USD").await.expect("prices");
    assert_eq!(items.len(), 14);
    assert_eq!((c.stats().throttled, c.stats().retries), (1, 1));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );

    inject(
        &emu,
        json!({ "kind": "drop", "pathContains": "retail", "count": 1 }),
    )
    .await;
    let c = client(&emu.base);
    let items = c.snapshot_prices(&regions(), "USD").await.expect("prices");
    assert_eq!(items.len(), 14);
    assert_eq!(
        (c.stats().throttled, c.stats().retries),
        (0, 1),
        "the cut body was asked again"
    );
    emu.emu.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_endpoint_gives_the_embedded_table_with_its_date() {
    let book = load_prices(&request(Some("http://127.0.0.1:9".into()), None)).await;
    assert_eq!(book.source, PriceSource::Embedded);
    assert_eq!(book.as_of(), EMBEDDED_AS_OF);
    let note = book.note.clone().unwrap_or_default();
    assert!(
        note.contains("could not be used") && note.contains(EMBEDDED_AS_OF),
        "{note}"
    );
    assert!(
        book.describe().contains(EMBEDDED_AS_OF),
        "{}",
        book.describe()
    );
    assert_eq!(book.snapshot_price("westeurope").per_gib_month, 0.05);
}

#[tokio::test]
async fn prices_are_cached_with_their_date_and_used_when_the_endpoint_is_gone() {
    let emu = emulator().await;
    let dir = std::env::temp_dir().join(format!("rpdesk-prices-{}", uuid::Uuid::new_v4()));
    let live = load_prices(&request(Some(emu.base.clone()), Some(dir.clone()))).await;
    assert!(matches!(live.source, PriceSource::Live { .. }));
    emu.emu.shutdown().await;

    // Fresh: read from disk without asking.
    let mut later = request(Some("http://127.0.0.1:9".into()), Some(dir.clone()));
    later.now_unix = NOW + 3600;
    let cached = load_prices(&later).await;
    assert!(
        matches!(
            cached.source,
            PriceSource::Cache {
                fetched_unix: NOW,
                ..
            }
        ),
        "{:?}",
        cached.source
    );
    assert_eq!(cached.note, None);
    assert_eq!(cached.snapshot_price("westeurope").per_gib_month, 0.056);

    // Asked to refresh, and the endpoint is gone: the cache, saying when it was taken.
    later.refresh = true;
    let stale = load_prices(&later).await;
    assert!(matches!(stale.source, PriceSource::Cache { .. }));
    let note = stale.note.clone().unwrap_or_default();
    assert!(note.contains("cached on"), "{note}");
    assert!(
        stale.describe().contains("cached on this computer"),
        "{}",
        stale.describe()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_prices_client_never_sends_a_token() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut buf = vec![0u8; 16 * 1024];
        let n = socket.read(&mut buf).await.expect("read");
        let body = r#"{"BillingCurrency":"USD","Items":[],"NextPageLink":null,"Count":0}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(reply.as_bytes()).await.expect("write");
        String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase()
    });
    let c = client(&format!("http://{addr}"));
    let items = c.snapshot_prices(&regions(), "USD").await.expect("prices");
    assert!(items.is_empty());
    let head = server.await.expect("server");
    assert!(head.starts_with("get /api/retail/prices?"), "{head}");
    assert!(!head.contains("authorization"), "{head}");
}
