//! One journal line: what one save changed in the estate, record by record, so that a
//! write costs the size of its change rather than the size of the estate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::state::{Estate, VmSnapshot};

/// The changes of one save, numbered in order.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Batch {
    pub seq: u64,
    pub saved_at: f64,
    /// Per table (by its JSON name), each changed key with its record (`null`: removed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, BTreeMap<String, Option<Value>>>,
    /// Configuration snapshots appended, and the index of the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<Added>,
    /// The pending operations, when they changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Vec<String>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Added {
    pub from: usize,
    pub items: Vec<VmSnapshot>,
}

impl Batch {
    /// What changed in `estate` since its last commit.
    pub fn of(estate: &mut Estate, seq: u64) -> serde_json::Result<Self> {
        let mut tables = BTreeMap::new();
        for (name, table) in estate.tables_mut() {
            let changes = table.changes_json()?;
            if !changes.is_empty() {
                tables.insert(name.to_owned(), changes.into_iter().collect());
            }
        }
        let (from, added) = estate.snapshots.added();
        Ok(Self {
            seq,
            saved_at: estate.saved_at,
            tables,
            snapshots: (!added.is_empty()).then(|| Added {
                from,
                items: added.to_vec(),
            }),
            pending: estate.pending.changed().cloned(),
        })
    }

    /// Applies the batch to `estate` (replaying the journal at start).
    pub fn apply(self, estate: &mut Estate) -> Result<(), String> {
        for (name, changes) in self.tables {
            let mut tables = estate.tables_mut();
            let (_, table) = tables
                .iter_mut()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| format!("it names an unknown table {name:?}"))?;
            for (key, record) in changes {
                table
                    .apply_json(key, record)
                    .map_err(|e| format!("a record of {name} is not valid: {e}"))?;
            }
        }
        if let Some(added) = self.snapshots {
            if added.from != estate.snapshots.len() {
                return Err(format!(
                    "it appends configuration snapshots from #{} to {} of them",
                    added.from,
                    estate.snapshots.len()
                ));
            }
            for snapshot in added.items {
                estate.snapshots.push(snapshot);
            }
        }
        if let Some(pending) = self.pending {
            *estate.pending.edit() = pending;
        }
        estate.saved_at = self.saved_at;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::EstateSpec;

    #[test]
    fn a_batch_replayed_on_the_last_saved_estate_gives_the_estate_now() {
        let mut saved = crate::emulator::estate::build(&EstateSpec::Demo, 1.0e9);
        saved.commit();
        let mut now = saved.clone();
        let (vm_key, _) = now
            .vms
            .iter()
            .next()
            .map(|(k, v)| (k.clone(), v.clone()))
            .unwrap();
        let group = now.groups.keys().next().cloned().unwrap();
        now.groups.remove(&group);
        now.snapshot_of(&vm_key);
        now.pending.edit().push("op".into());
        now.saved_at = 2.0e9;
        let line = serde_json::to_string(&Batch::of(&mut now, 7).unwrap()).unwrap();
        assert!(!line.contains('\n'));
        assert!(line.len() < 10_000, "only the change: {} bytes", line.len());

        let batch: Batch = serde_json::from_str(&line).unwrap();
        assert_eq!(batch.seq, 7);
        batch.apply(&mut saved).unwrap();
        assert_eq!(
            serde_json::to_value(&saved).unwrap(),
            serde_json::to_value(&now).unwrap()
        );
    }
}
