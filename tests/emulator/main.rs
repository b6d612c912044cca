//! emulator integration tests, one binary: each module was once a test crate of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

// -- modules --
#[path = "../common/mod.rs"]
mod common;

mod admin;
mod cli;
mod copy;
mod fuzz;
mod python_sdk;
mod restore;
mod rules;
mod shapes;
mod state;
mod vms;
mod wire;
