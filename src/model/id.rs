//! `ResourceId`: an ARM resource id, parsed once and compared case-insensitively, as ARM does.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Why a string is not an ARM resource id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourceIdError {
    #[error("a resource id must start with /subscriptions/: {0:?}")]
    NotSubscriptionScoped(String),
    #[error("a resource id has an empty segment: {0:?}")]
    EmptySegment(String),
    #[error("a resource id has a type without a name: {0:?}")]
    MissingName(String),
}

/// An ARM resource id such as
/// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}`.
///
/// Kept as the original text (for printing back verbatim) plus its segments; equality and
/// hashing ignore ASCII case, because ARM ids are case-insensitive.
#[derive(Clone)]
pub struct ResourceId(Arc<Inner>);

/// Shared, so cloning an id (the inventory's keys, every table row) costs a reference count.
struct Inner {
    text: String,
    /// `(key, value)` pairs: `subscriptions`, `resourceGroups`, then one pair per
    /// resource type level, e.g. (`virtualMachines`, `vm1`). `providers` is folded into the
    /// namespace of the first typed level.
    pairs: Vec<(String, String)>,
    /// Provider namespace, e.g. `Microsoft.Compute`, if any.
    namespace: Option<String>,
}

impl ResourceId {
    /// Parses an ARM id. Accepts a missing leading slash and a trailing slash.
    pub fn parse(text: &str) -> Result<Self, ResourceIdError> {
        let trimmed = text.trim().trim_end_matches('/');
        let body = trimmed.strip_prefix('/').unwrap_or(trimmed);
        let parts: Vec<&str> = body.split('/').collect();
        if parts.len() < 2 || !parts[0].eq_ignore_ascii_case("subscriptions") {
            return Err(ResourceIdError::NotSubscriptionScoped(text.to_owned()));
        }
        if parts.iter().any(|p| p.is_empty()) {
            return Err(ResourceIdError::EmptySegment(text.to_owned()));
        }
        let mut pairs = Vec::new();
        let mut namespace = None;
        let mut i = 0;
        while i < parts.len() {
            if parts[i].eq_ignore_ascii_case("providers") {
                let Some(ns) = parts.get(i + 1) else {
                    return Err(ResourceIdError::MissingName(text.to_owned()));
                };
                namespace = Some((*ns).to_owned());
                i += 2;
                continue;
            }
            let Some(name) = parts.get(i + 1) else {
                return Err(ResourceIdError::MissingName(text.to_owned()));
            };
            pairs.push((parts[i].to_owned(), (*name).to_owned()));
            i += 2;
        }
        Ok(Self(Arc::new(Inner {
            text: format!("/{body}"),
            pairs,
            namespace,
        })))
    }

    /// The subscription id (GUID text).
    pub fn subscription_id(&self) -> &str {
        &self.0.pairs[0].1
    }

    /// The resource group name, if the id is inside one.
    pub fn resource_group(&self) -> Option<&str> {
        self.value_of("resourceGroups")
    }

    /// Provider namespace such as `Microsoft.Compute`.
    pub fn namespace(&self) -> Option<&str> {
        self.0.namespace.as_deref()
    }

    /// The last segment's name (`vm1` for a VM id).
    pub fn name(&self) -> &str {
        &self.0.pairs[self.0.pairs.len() - 1].1
    }

    /// The last segment's type key (`virtualMachines` for a VM id).
    pub fn kind(&self) -> &str {
        &self.0.pairs[self.0.pairs.len() - 1].0
    }

    /// Full resource type, e.g. `Microsoft.Compute/restorePointCollections/restorePoints`.
    pub fn resource_type(&self) -> String {
        let typed: Vec<&str> = self.typed_pairs().map(|(k, _)| k.as_str()).collect();
        match &self.0.namespace {
            Some(ns) if !typed.is_empty() => format!("{ns}/{}", typed.join("/")),
            _ => self.kind().to_owned(),
        }
    }

    /// Value of a segment key (case-insensitive), e.g. `value_of("restorePoints")`.
    pub fn value_of(&self, key: &str) -> Option<&str> {
        self.0
            .pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The enclosing resource: a restore point's collection, a collection's resource group,
    /// a resource group's subscription. `None` for a subscription.
    pub fn parent(&self) -> Option<ResourceId> {
        if self.0.pairs.len() <= 1 {
            return None;
        }
        let keep = self.0.pairs.len() - 1;
        let ns = if self.typed_pairs().count() > 1 {
            self.0.namespace.clone()
        } else {
            None
        };
        Some(Self::from_parts(&self.0.pairs[..keep], ns.as_deref()))
    }

    /// A child of this resource: `rpc.child("restorePoints", "rp1")`.
    pub fn child(&self, kind: &str, name: &str) -> ResourceId {
        let mut pairs = self.0.pairs.clone();
        pairs.push((kind.to_owned(), name.to_owned()));
        Self::from_parts(&pairs, self.0.namespace.as_deref())
    }

    /// A provider resource directly in this scope: `rg.provider_child("Microsoft.Compute", "disks", "d1")`.
    pub fn provider_child(&self, namespace: &str, kind: &str, name: &str) -> ResourceId {
        let mut pairs = self.0.pairs.clone();
        pairs.push((kind.to_owned(), name.to_owned()));
        Self::from_parts(&pairs, Some(namespace))
    }

    /// The id of a subscription.
    pub fn subscription(subscription_id: &str) -> ResourceId {
        Self::from_parts(&[("subscriptions".into(), subscription_id.into())], None)
    }

    /// The id of a resource group.
    pub fn resource_group_id(subscription_id: &str, resource_group: &str) -> ResourceId {
        Self::from_parts(
            &[
                ("subscriptions".into(), subscription_id.into()),
                ("resourceGroups".into(), resource_group.into()),
            ],
            None,
        )
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &ResourceId) -> bool {
        let lower = self.0.text.to_ascii_lowercase();
        let prefix = other.0.text.to_ascii_lowercase();
        lower == prefix || lower.starts_with(&format!("{prefix}/"))
    }

    /// The id as text, exactly as parsed (leading slash guaranteed).
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    fn typed_pairs(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.pairs.iter().filter(|(k, _)| {
            !k.eq_ignore_ascii_case("subscriptions") && !k.eq_ignore_ascii_case("resourceGroups")
        })
    }

    fn from_parts(pairs: &[(String, String)], namespace: Option<&str>) -> ResourceId {
        let mut text = String::new();
        let mut ns_written = false;
        for (k, v) in pairs {
            let scope =
                k.eq_ignore_ascii_case("subscriptions") || k.eq_ignore_ascii_case("resourceGroups");
            if !scope && !ns_written {
                if let Some(ns) = namespace {
                    text.push_str("/providers/");
                    text.push_str(ns);
                }
                ns_written = true;
            }
            text.push('/');
            text.push_str(k);
            text.push('/');
            text.push_str(v);
        }
        ResourceId(Arc::new(Inner {
            text,
            pairs: pairs.to_vec(),
            namespace: namespace.map(str::to_owned),
        }))
    }
}

impl PartialEq for ResourceId {
    fn eq(&self, other: &Self) -> bool {
        self.0.text.eq_ignore_ascii_case(&other.0.text)
    }
}

impl Eq for ResourceId {}

impl Hash for ResourceId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Lower-cased a block at a time: hashers are much faster fed slices than bytes.
        let mut block = [0u8; 64];
        for chunk in self.0.text.as_bytes().chunks(block.len()) {
            for (to, from) in block.iter_mut().zip(chunk) {
                *to = from.to_ascii_lowercase();
            }
            state.write(&block[..chunk.len()]);
        }
    }
}

impl PartialOrd for ResourceId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ResourceId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let a = self.0.text.bytes().map(|b| b.to_ascii_lowercase());
        let b = other.0.text.bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(b)
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceId({})", self.0.text)
    }
}

impl std::str::FromStr for ResourceId {
    type Err = ResourceIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for ResourceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.text)
    }
}

impl<'de> serde::Deserialize<'de> for ResourceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RP: &str = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/rpc/restorePoints/rp1";

    #[test]
    fn parses_nested_restore_point_id() {
        let id = ResourceId::parse(RP).unwrap();
        assert_eq!(id.subscription_id(), "s1");
        assert_eq!(id.resource_group(), Some("rg"));
        assert_eq!(id.namespace(), Some("Microsoft.Compute"));
        assert_eq!(id.name(), "rp1");
        assert_eq!(id.kind(), "restorePoints");
        assert_eq!(
            id.resource_type(),
            "Microsoft.Compute/restorePointCollections/restorePoints"
        );
        assert_eq!(id.to_string(), RP);
    }

    #[test]
    fn equality_ignores_case() {
        let a = ResourceId::parse(RP).unwrap();
        let b = ResourceId::parse(&RP.to_uppercase()).unwrap();
        assert_eq!(a, b);
        use std::hash::BuildHasher as _;
        let state = std::collections::hash_map::RandomState::new();
        assert_eq!(state.hash_one(&a), state.hash_one(&b));
    }

    #[test]
    fn parent_and_child_navigate() {
        let rp = ResourceId::parse(RP).unwrap();
        let rpc = rp.parent().unwrap();
        assert_eq!(
            rpc.as_str(),
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/rpc"
        );
        assert_eq!(rpc.child("restorePoints", "rp1"), rp);
        let rg = rpc.parent().unwrap();
        assert_eq!(rg.as_str(), "/subscriptions/s1/resourceGroups/rg");
        assert_eq!(rg.parent().unwrap().as_str(), "/subscriptions/s1");
        assert!(rg.parent().unwrap().parent().is_none());
        assert!(rp.is_within(&rg));
        assert!(!rg.is_within(&rp));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "/",
            "abc",
            "/subscriptions",
            "/subscriptions//resourceGroups/x",
            "/subscriptions/s/resourceGroups",
        ] {
            assert!(ResourceId::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }
}
