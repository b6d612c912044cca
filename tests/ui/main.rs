//! ui integration tests, one binary: each module was once a test crate of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

// -- modules --
#[path = "../restore_support/mod.rs"]
mod restore_support;
#[path = "../ui_support/mod.rs"]
mod ui_support;

mod app;
mod connection;
mod copy;
mod cost;
mod create;
mod export;
mod fleet;
mod glyphs;
mod group;
mod lifecycle;
mod read_only;
mod restore;
