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

impl PersistedConnection {
    /// Without a `user:password@` in a custom endpoint: endpoints holding one are refused
    /// now, but a settings file from before may still have one.
    fn without_credentials(&self) -> Self {
        match self {
            Self::Custom { endpoint } => Self::Custom {
                endpoint: crate::model::without_userinfo(endpoint),
            },
            other => other.clone(),
        }
    }
}

/// Reads the saved state; `None` if absent or unreadable (then defaults apply).
pub fn load(storage: &dyn eframe::Storage) -> Option<(UiState, PersistedConnection)> {
    let p: Persisted = eframe::get_value(storage, KEY)?;
    Some((p.ui, p.connection.without_credentials()))
}

/// Saves the state.
pub fn save(storage: &mut dyn eframe::Storage, ui: &UiState, connection: &PersistedConnection) {
    let connection = &connection.without_credentials();
    eframe::set_value(storage, KEY, &PersistedRef { ui, connection });
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use eframe::Storage as _;

    use super::*;

    #[derive(Default)]
    struct Memory(HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn a_password_in_a_saved_endpoint_is_neither_saved_nor_loaded() {
        let with_password = PersistedConnection::Custom {
            endpoint: "https://alice:hunter2@arm.example.test/".into(),
        };
        let mut storage = Memory::default();
        save(&mut storage, &UiState::default(), &with_password);
        let saved = storage.get_string(KEY).unwrap_or_default();
        assert!(!saved.contains("hunter2"), "{saved}");

        // A settings file written before endpoints with credentials were refused.
        let old = saved.replace("arm.example.test", "alice:hunter2@arm.example.test");
        storage.set_string(KEY, old);
        let (_, loaded) = load(&storage).expect("loads");
        assert_eq!(
            loaded,
            PersistedConnection::Custom {
                endpoint: "https://arm.example.test/".into()
            }
        );
    }
}
