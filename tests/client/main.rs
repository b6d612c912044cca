//! client integration tests, one binary: each module was once a test crate of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

// -- modules --
#[path = "../client_support/mod.rs"]
mod client_support;
#[path = "../common/mod.rs"]
mod common;
#[path = "../restore_support/mod.rs"]
mod restore_support;

mod arm_client;
mod az_commands;
mod backend_create;
mod backend_lifecycle;
mod client_hardening;
mod copy;
mod export_cli;
mod model_wire;
mod on_demand;
mod prices_loader;
mod restore_run;
mod rules_agreement;
mod rules_sources;
mod secrets;
