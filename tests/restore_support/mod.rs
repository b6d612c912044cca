//! Shared setup for restore tests: a fast demo emulator, the inventory as the app loads
//! it, a plan built by the real planner, and an executor whose journal and events the
//! test can watch.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rpdesk::arm::{ArmClient, ClientOptions};
use rpdesk::auth::StaticToken;
use rpdesk::backend::headless::Headless;
use rpdesk::backend::restore::{RestoreExecutor, Sink};
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use rpdesk::inventory::Inventory;
use rpdesk::model::{Disk, ResourceId};
use rpdesk::restore::runs::RestoreEvent;
use rpdesk::restore::{Plan, RestoreChoices, TAG_REPLACED, TAG_RUN, Target};

pub const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";
pub const DEV: &str = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02";

/// A demo emulator whose clock runs `speed` times faster than real time.
pub async fn emulator(speed: f64) -> RunningEmulator {
    RunningEmulator::start(
        EmulatorConfig {
            estate: EstateSpec::Demo,
            speed,
            ..Default::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("emulator starts")
}

/// Quick polling and retries, so runs take seconds.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        max_retries: 1,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(2),
        default_poll_interval: Duration::from_millis(100),
        max_poll_interval: Duration::from_millis(150),
        ..Default::default()
    }
}

pub fn client_for(base_url: &str) -> ArmClient {
    ArmClient::new(
        base_url,
        Arc::new(StaticToken::new("test-token")),
        fast_options(),
    )
    .expect("client")
}

/// The inventory as the app loads it, with what the wizard reads about `point`.
pub async fn inventory(client: &ArmClient, point: &ResourceId) -> Inventory {
    let mut loader = Headless::new(client.clone());
    loader.load_all().await.expect("the inventory loads");
    loader
        .load_for_restore(point, now_unix())
        .await
        .expect("the point's details load");
    loader.inventory
}

pub fn point_id(sub: &str, rg: &str, collection: &str, point: &str) -> ResourceId {
    ResourceId::resource_group_id(sub, rg)
        .provider_child("Microsoft.Compute", "restorePointCollections", collection)
        .child("restorePoints", point)
}

/// The newest point of `dev-db-01` (Linux, an OS disk and a 1 TiB data disk, running).
pub fn db_point() -> ResourceId {
    point_id(DEV, "rg-dev-data", "dev-db-01-rpc", "rp-014-app")
}

pub fn db_vm() -> ResourceId {
    ResourceId::resource_group_id(DEV, "rg-dev-data").provider_child(
        "Microsoft.Compute",
        "virtualMachines",
        "dev-db-01",
    )
}

/// A plan from the real planner, with rpdesk's defaults for `target`.
pub fn plan(
    inv: &Inventory,
    point: &ResourceId,
    target: Target,
    run_id: &str,
    tweak: impl FnOnce(&mut RestoreChoices),
) -> Plan {
    let now = now_unix();
    let facts = inv.restore_facts(point, now).expect("facts of the point");
    let mut choices = RestoreChoices::defaults(&facts, None);
    choices.set_target(&facts, target);
    choices.reason = "test".into();
    if let Some(live) = &facts.live_vm {
        choices.confirm_name = live.vm.name.clone();
    }
    tweak(&mut choices);
    rpdesk::restore::plan(&facts, &choices, run_id, "demo")
        .unwrap_or_else(|p| panic!("a plan: {p:#?}"))
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An executor writing journals into `dir`, and the receiver of its events.
pub fn executor(
    client: &ArmClient,
    dir: &Path,
) -> (RestoreExecutor, tokio::sync::mpsc::Receiver<RestoreEvent>) {
    let (tx, rx) = tokio::sync::mpsc::channel(10_000);
    (
        RestoreExecutor::new(
            client.clone(),
            dir.to_path_buf(),
            Sink::new(tx),
            rpdesk::arm::Cancel::new(),
        ),
        rx,
    )
}

/// A fresh folder for journals, removed with what it holds when dropped.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh folder for journals (see [`TempDir`]).
pub fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!(
        "rpdesk-test-{name}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(now_unix() as u64);
    h.finish() as u32
}

/// Every disk of a subscription carrying `key = run_id`.
pub async fn disks_tagged(client: &ArmClient, sub: &str, key: &str, run_id: &str) -> Vec<Disk> {
    client
        .list_disks(sub)
        .await
        .expect("disks")
        .into_iter()
        .filter(|d| d.tags.get(key).is_some_and(|v| v == run_id))
        .collect()
}

/// Disks the run created.
pub async fn created_disks(client: &ArmClient, sub: &str, run_id: &str) -> Vec<Disk> {
    disks_tagged(client, sub, TAG_RUN, run_id).await
}

/// Disks the run replaced.
pub async fn replaced_disks(client: &ArmClient, sub: &str, run_id: &str) -> Vec<Disk> {
    disks_tagged(client, sub, TAG_REPLACED, run_id).await
}
