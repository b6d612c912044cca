//! Shared test setup: an emulator on an ephemeral loopback port and a client for it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use rpdesk::arm::{ArmClient, ClientOptions};
use rpdesk::auth::StaticToken;
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};

pub const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";
pub const DEV: &str = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02";
pub const DR: &str = "3c9b7e25-8d41-4f6a-a0c3-5e7b1d2f9a03";

/// A fast-clock demo emulator.
pub async fn emulator() -> RunningEmulator {
    emulator_with(EmulatorConfig {
        estate: EstateSpec::Demo,
        speed: 120.0,
        ..Default::default()
    })
    .await
}

pub async fn emulator_with(config: EmulatorConfig) -> RunningEmulator {
    RunningEmulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("emulator starts")
}

/// Client options for tests: short backoff, quick polling.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        base_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        default_poll_interval: Duration::from_millis(200),
        ..Default::default()
    }
}

pub fn client(emulator: &RunningEmulator) -> ArmClient {
    ArmClient::new(
        &emulator.base_url(),
        Arc::new(StaticToken::new("test-token")),
        fast_options(),
    )
    .expect("client")
}

pub fn vm_id(sub: &str, rg: &str, name: &str) -> rpdesk::model::ResourceId {
    rpdesk::model::ResourceId::parse(&format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}")).unwrap()
}
