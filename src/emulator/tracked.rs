//! Collections that remember what changed since they were last committed, with the value
//! before the first change. A write then saves only the records it touched, and a write
//! whose save failed is undone exactly (`rollback`), so that memory never holds a change
//! the state file does not.
//!
//! Reads go through `Deref` to the plain collection; every mutation goes through a method
//! here, so the compiler finds any change that would escape the record.

use std::collections::BTreeMap;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map from lower-case ARM id (or another key) to a record.
#[derive(Clone, Debug)]
pub struct Table<T> {
    map: BTreeMap<String, T>,
    /// Each key changed since the last commit, with its value before the first change
    /// (`None`: it did not exist).
    before: BTreeMap<String, Option<T>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            map: BTreeMap::new(),
            before: BTreeMap::new(),
        }
    }
}

impl<T> Deref for Table<T> {
    type Target = BTreeMap<String, T>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl<'a, T> IntoIterator for &'a Table<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = std::collections::btree_map::Iter<'a, String, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl<T: Clone> Table<T> {
    fn note(&mut self, key: &str) {
        if !self.before.contains_key(key) {
            let old = self.map.get(key).cloned();
            self.before.insert(key.to_owned(), old);
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        if self.map.contains_key(key) {
            self.note(key);
        }
        self.map.get_mut(key)
    }

    pub fn insert(&mut self, key: String, value: T) -> Option<T> {
        self.note(&key);
        self.map.insert(key, value)
    }

    pub fn remove(&mut self, key: &str) -> Option<T> {
        if self.map.contains_key(key) {
            self.note(key);
        }
        self.map.remove(key)
    }

    /// The record under `key`, inserted from `make` when missing.
    pub fn get_or_insert_with(&mut self, key: String, make: impl FnOnce() -> T) -> &mut T {
        self.note(&key);
        self.map.entry(key).or_insert_with(make)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &T) -> bool) {
        let gone: Vec<String> = self
            .map
            .iter()
            .filter(|(k, v)| !keep(k, v))
            .map(|(k, _)| k.clone())
            .collect();
        for k in gone {
            self.remove(&k);
        }
    }

    /// Whether anything changed since the last commit.
    pub fn is_changed(&self) -> bool {
        !self.before.is_empty()
    }

    /// Every key changed since the last commit with its value now (`None`: removed).
    pub fn changes(&self) -> impl Iterator<Item = (&str, Option<&T>)> {
        self.before.keys().map(|k| (k.as_str(), self.map.get(k)))
    }

    /// The changes are saved: forget them.
    pub fn commit(&mut self) {
        self.before.clear();
    }

    /// Puts every changed record back as it was at the last commit.
    pub fn rollback(&mut self) {
        for (k, old) in std::mem::take(&mut self.before) {
            match old {
                Some(v) => self.map.insert(k, v),
                None => self.map.remove(&k),
            };
        }
    }
}

/// A table whatever its records: what saving, undoing and replaying need. Records go
/// to and from JSON values so that one journal line can hold changes of every table.
pub trait Tracked {
    fn commit(&mut self);
    fn rollback(&mut self);
    /// Each changed key with its record now as JSON (`None`: removed).
    fn changes_json(&self) -> serde_json::Result<Vec<(String, Option<serde_json::Value>)>>;
    /// Applies a saved change (it is tracked like any other until the next commit).
    fn apply_json(
        &mut self,
        key: String,
        record: Option<serde_json::Value>,
    ) -> serde_json::Result<()>;
}

impl<T: Clone + Serialize + serde::de::DeserializeOwned> Tracked for Table<T> {
    fn commit(&mut self) {
        Table::commit(self);
    }
    fn rollback(&mut self) {
        Table::rollback(self);
    }
    fn changes_json(&self) -> serde_json::Result<Vec<(String, Option<serde_json::Value>)>> {
        self.changes()
            .map(|(k, v)| Ok((k.to_owned(), v.map(serde_json::to_value).transpose()?)))
            .collect()
    }
    fn apply_json(
        &mut self,
        key: String,
        record: Option<serde_json::Value>,
    ) -> serde_json::Result<()> {
        match record {
            Some(v) => {
                self.insert(key, serde_json::from_value(v)?);
            }
            None => {
                self.remove(&key);
            }
        }
        Ok(())
    }
}

impl<T: Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self {
            map: BTreeMap::deserialize(d)?,
            before: BTreeMap::new(),
        })
    }
}

/// A list that only grows (configuration snapshots: points refer to them by index).
#[derive(Clone, Debug)]
pub struct Appended<T> {
    items: Vec<T>,
    committed: usize,
}

impl<T> Default for Appended<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            committed: 0,
        }
    }
}

impl<T> Deref for Appended<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> Appended<T> {
    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// Index of the first item added since the last commit, and those items.
    pub fn added(&self) -> (usize, &[T]) {
        let from = self.committed.min(self.items.len());
        (from, &self.items[from..])
    }

    pub fn commit(&mut self) {
        self.committed = self.items.len();
    }

    pub fn rollback(&mut self) {
        self.items.truncate(self.committed);
    }
}

impl<T: Serialize> Serialize for Appended<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Appended<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::deserialize(d)?;
        Ok(Self {
            committed: items.len(),
            items,
        })
    }
}

/// A small value saved whole when it changes.
#[derive(Clone, Debug, Default)]
pub struct Watched<T> {
    value: T,
    /// The value at the last commit, once it has changed since.
    before: Option<T>,
}

impl<T> Deref for Watched<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Clone> Watched<T> {
    pub fn edit(&mut self) -> &mut T {
        if self.before.is_none() {
            self.before = Some(self.value.clone());
        }
        &mut self.value
    }

    /// The value now, if it changed since the last commit.
    pub fn changed(&self) -> Option<&T> {
        self.before.as_ref().map(|_| &self.value)
    }

    pub fn commit(&mut self) {
        self.before = None;
    }

    pub fn rollback(&mut self) {
        if let Some(old) = self.before.take() {
            self.value = old;
        }
    }
}

impl<T: Serialize> Serialize for Watched<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Watched<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self {
            value: T::deserialize(d)?,
            before: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rollback_restores_changed_inserted_and_removed_records() {
        let mut t: Table<i32> = Table::default();
        t.insert("a".into(), 1);
        t.insert("b".into(), 2);
        t.commit();
        *t.get_mut("a").unwrap() += 10;
        *t.get_mut("a").unwrap() += 10;
        t.remove("b");
        t.insert("c".into(), 3);
        t.retain(|_, v| *v != 3);
        let changes: Vec<_> = t
            .changes()
            .map(|(k, v)| (k.to_owned(), v.copied()))
            .collect();
        assert_eq!(
            changes,
            vec![
                ("a".to_owned(), Some(21)),
                ("b".to_owned(), None),
                ("c".to_owned(), None)
            ]
        );
        t.rollback();
        assert_eq!(t.get("a"), Some(&1));
        assert_eq!(t.get("b"), Some(&2));
        assert!(t.get("c").is_none());
        assert!(!t.is_changed());
    }

    #[test]
    fn appended_items_and_watched_values_roll_back_to_the_last_commit() {
        let mut list: Appended<u8> = Appended::default();
        list.push(1);
        list.commit();
        list.push(2);
        assert_eq!(list.added(), (1, &[2u8][..]));
        list.rollback();
        assert_eq!(&*list, &[1u8][..]);

        let mut w: Watched<Vec<u8>> = Watched::default();
        assert!(w.changed().is_none());
        w.edit().push(7);
        assert_eq!(w.changed(), Some(&vec![7]));
        w.rollback();
        assert!(w.is_empty());
        w.edit().push(8);
        w.commit();
        assert!(w.changed().is_none());
        assert_eq!(*w, vec![8]);
    }

    #[test]
    fn serialised_as_the_plain_collections() {
        let mut t: Table<u8> = Table::default();
        t.insert("k".into(), 1);
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"k":1}"#);
        let back: Table<u8> = serde_json::from_str(r#"{"k":1}"#).unwrap();
        assert!(!back.is_changed());
        let list: Appended<u8> = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(list.added().1.len(), 0);
    }
}
