//! `Text`: an immutable shared string for values that repeat across a fleet's documents.
//!
//! Each restore point repeats its VM's configuration: the VM size, the location, every
//! disk's name, its managed disk id and its encryption type. Parsed as `String`s, 100,000
//! points hold a million copies. A `Text` is a reference-counted `str` behind a thin
//! pointer (8 bytes); while a response is parsed inside [`shared_texts`], equal texts become
//! one allocation, so a collection's points share their VM's strings.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use arcstr::ArcStr;

/// An immutable, cheaply cloned string.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(ArcStr);

use super::{CapturedDiskConfig, CapturedVm, Encryption};

/// What the parse running on this thread inside [`shared_texts`] has seen.
#[derive(Default)]
struct Pool {
    texts: HashSet<ArcStr>,
    /// Captured disk configurations by disk name.
    disks: HashMap<Option<Text>, Vec<Arc<CapturedDiskConfig>>>,
    /// What points captured of their VM, by VM id.
    vms: HashMap<Option<Text>, Vec<Arc<CapturedVm>>>,
    /// Disk restore points' encryption settings, by type.
    encryptions: HashMap<Option<Text>, Vec<Arc<Encryption>>>,
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

/// Runs `parse` with a pool of texts: every [`Text`] it deserializes that equals one it
/// has already deserialized shares that one's allocation, and so does every captured disk
/// configuration (see [`super::SourceMetadataDisk`]). The pool lives for this call only,
/// so nothing outlives the documents that use it.
pub fn shared_texts<R>(parse: impl FnOnce() -> R) -> R {
    let outer = POOL.with(|p| p.borrow_mut().replace(Pool::default()));
    let result = parse();
    POOL.with(|p| *p.borrow_mut() = outer);
    result
}

impl Text {
    pub fn new(s: &str) -> Self {
        let pooled = POOL.with(|p| {
            let mut pool = p.borrow_mut();
            let pool = &mut pool.as_mut()?.texts;
            if let Some(existing) = pool.get(s) {
                return Some(existing.clone());
            }
            let fresh = ArcStr::from(s);
            pool.insert(fresh.clone());
            Some(fresh)
        });
        Self(pooled.unwrap_or_else(|| ArcStr::from(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two texts share one allocation (for tests of the pool).
    pub fn shares_with(&self, other: &Text) -> bool {
        ArcStr::ptr_eq(&self.0, &other.0)
    }
}

/// `config`, or an equal one the running [`shared_texts`] parse has already seen.
pub(super) fn share_disk(config: CapturedDiskConfig) -> Arc<CapturedDiskConfig> {
    let key = config.name.clone();
    share(|pool| &mut pool.disks, key, config)
}

/// `vm`, or an equal one the running [`shared_texts`] parse has already seen.
pub(super) fn share_vm(vm: CapturedVm) -> Arc<CapturedVm> {
    let key = vm.vm_id.clone();
    share(|pool| &mut pool.vms, key, vm)
}

/// Reads an optional [`Encryption`], shared with an equal one the running
/// [`shared_texts`] parse has already seen (`deserialize_with`).
pub(super) fn shared_encryption<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Arc<Encryption>>, D::Error> {
    let Some(value) = <Option<Encryption> as serde::Deserialize>::deserialize(d)? else {
        return Ok(None);
    };
    let key = value.kind.clone();
    Ok(Some(share(|pool| &mut pool.encryptions, key, value)))
}

/// `value`, or an equal one filed under `key` in the running parse's pool.
fn share<T: PartialEq>(
    shelf: impl FnOnce(&mut Pool) -> &mut HashMap<Option<Text>, Vec<Arc<T>>>,
    key: Option<Text>,
    value: T,
) -> Arc<T> {
    POOL.with(|p| {
        let mut pool = p.borrow_mut();
        let Some(pool) = pool.as_mut() else {
            return Arc::new(value);
        };
        let same_key = shelf(pool).entry(key).or_default();
        if let Some(found) = same_key.iter().find(|c| ***c == value) {
            return found.clone();
        }
        let fresh = Arc::new(value);
        same_key.push(fresh.clone());
        fresh
    })
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Self::new(&s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Self::new(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::new(v))
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Two {
        a: Text,
        b: Text,
    }

    #[test]
    fn equal_texts_share_inside_a_shared_parse_only() {
        let json = r#"{"a": "Standard_E4s_v5", "b": "Standard_E4s_v5"}"#;
        let inside: Two = shared_texts(|| serde_json::from_str(json)).unwrap();
        assert!(inside.a.shares_with(&inside.b));
        let outside: Two = serde_json::from_str(json).unwrap();
        assert!(!outside.a.shares_with(&outside.b));
        assert_eq!(outside.a, inside.b);
        // The pool ended with the parse: a later text is fresh.
        assert!(!Text::new("Standard_E4s_v5").shares_with(&inside.a));
    }

    #[test]
    fn a_text_compares_and_prints_as_its_string() {
        let t = Text::from("westeurope");
        assert_eq!(t, "westeurope");
        assert_eq!(t, String::from("westeurope"));
        assert_eq!(format!("{t} {t:?}"), "westeurope \"westeurope\"");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"westeurope\"");
    }
}
