//! rpdesk: Restore Point Desk. The README's Architecture section describes the layers;
//! data flows ARM → `arm` → `backend` → domain modules → `ui`.

pub mod activity;
pub mod app;
pub mod arm;
pub mod auth;
pub mod backend;
pub mod cost;
pub mod csv;
pub mod emulator;
pub mod export;
pub mod inventory;
pub mod lifecycle;
pub mod model;
pub mod restore;
pub mod rules;
pub mod ui;
