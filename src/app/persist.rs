//! What survives a restart: UI choices and the last connection (never a token).

use serde::{Deserialize, Serialize};

use crate::auth::Cloud;
use crate::ui::UiState;

/// The last connection, without secrets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum PersistedConnection {
    #[default]
    Demo,
    Azure(Cloud),
    Custom {
        endpoint: String,
    },
}

#[derive(Deserialize)]
#[serde(default)]
struct Persisted {
    ui: UiState,
    connection: PersistedConnection,
}

impl Default for Persisted {
    fn default() -> Self {
        Self {
            ui: UiState::default(),
            connection: PersistedConnection::Demo,
        }
    }
}

#[derive(Serialize)]
struct PersistedRef<'a> {
    ui: &'a UiState,
    connection: &'a PersistedConnection,
}

const KEY: &str = "rpdesk";

/// Reads the saved state; `None` if absent or unreadable (then defaults apply).
pub fn load(storage: &dyn eframe::Storage) -> Option<(UiState, PersistedConnection)> {
    let p: Persisted = eframe::get_value(storage, KEY)?;
    Some((p.ui, p.connection))
}

/// Saves the state.
pub fn save(storage: &mut dyn eframe::Storage, ui: &UiState, connection: &PersistedConnection) {
    eframe::set_value(storage, KEY, &PersistedRef { ui, connection });
}
