//! The tokio side: connects, loads the inventory progressively, runs operations, and
//! reports everything back to the UI thread as [`BackendEvent`]s over a bounded channel.
//! Knows nothing of egui: it wakes the UI through a [`Waker`] callback.

mod connection;
mod create;
mod export;
pub mod export_cli;
mod group;
mod handle;
pub mod headless;
pub mod lifecycle;
mod loader;
pub mod prices;
pub mod restore;
mod runner;

pub use connection::{
    ConnectionInfo, ConnectionSpec, DEMO_STATE_CORRUPT, DEMO_STATE_IN_USE, DEMO_STATE_UNREADABLE,
    connect,
};
pub use handle::{Backend, BackendEvent, Waker};

use crate::arm::ArmError;
use crate::inventory::ErrorInfo;

/// The UI's view of an ARM error.
pub fn error_info(e: &ArmError) -> ErrorInfo {
    let message = match e {
        ArmError::Api { message, .. } | ArmError::OperationFailed { message, .. } => {
            message.clone()
        }
        other => other.to_string(),
    };
    ErrorInfo {
        code: e.code().map(str::to_owned),
        message,
        status: e.status(),
        request_id: e.request_id().map(str::to_owned),
        correlation_id: e.correlation_id().map(str::to_owned),
        details: Vec::new(),
    }
}

/// The user's data folder (`~/.local/share/rpdesk` or the platform's equivalent): restore
/// journals, evidence, cached prices, the demo estate.
pub fn user_data_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("dev", "rpdesk", "rpdesk").map(|d| d.data_dir().to_path_buf())
}
