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

/// What was read from the settings.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The saved state, if there was one and it could be read.
    pub state: Option<(UiState, PersistedConnection)>,
    /// Saved settings that could not be read (kept aside by the caller, never dropped
    /// silently).
    pub unreadable: Option<String>,
}

/// Reads the saved state; defaults apply when there is none or it cannot be read.
pub fn load(storage: &dyn eframe::Storage) -> Loaded {
    let Some(raw) = storage.get_string(KEY) else {
        return Loaded::default();
    };
    match eframe::get_value::<Persisted>(storage, KEY) {
        Some(p) => Loaded {
            state: Some((p.ui, p.connection.without_credentials())),
            unreadable: None,
        },
        None => Loaded {
            state: None,
            unreadable: Some(raw),
        },
    }
}

/// Keeps unreadable settings as `settings.corrupt-<time>.ron` in `dir`; returns the path.
pub fn keep_aside(
    dir: &std::path::Path,
    raw: &str,
    now_unix: i64,
) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = crate::model::Timestamp::from_unix_secs(now_unix).compact_stamp();
    let path = dir.join(format!("settings.corrupt-{stamp}.ron"));
    std::fs::write(&path, raw)?;
    Ok(path)
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
        let (_, loaded) = load(&storage).state.expect("loads");
        assert_eq!(
            loaded,
            PersistedConnection::Custom {
                endpoint: "https://arm.example.test/".into()
            }
        );
    }

    #[test]
    fn unreadable_settings_are_kept_aside_not_dropped() {
        let mut storage = Memory::default();
        storage.set_string(KEY, "(ui: ((( not ron".into());
        let loaded = load(&storage);
        assert!(loaded.state.is_none(), "defaults apply");
        let raw = loaded.unreadable.expect("the bad settings are handed back");
        let dir = std::env::temp_dir().join(format!("rpdesk-settings-{}", std::process::id()));
        let path = keep_aside(&dir, &raw, 1_795_309_200).expect("kept");
        assert!(path.ends_with("settings.corrupt-20261122T010000.ron"));
        assert_eq!(std::fs::read_to_string(&path).expect("readable"), raw);
        std::fs::remove_dir_all(dir).ok();
        assert!(
            load(&Memory::default()).unreadable.is_none(),
            "nothing saved: nothing to say"
        );
    }
}
