//! `ResourceId`: an ARM resource id, parsed once and compared case-insensitively, as ARM does.

use std::fmt;
use std::hash::{Hash, Hasher};

use arcstr::ArcStr;

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
/// Kept as its text alone, validated once, behind a reference count with a thin pointer
/// (`ArcStr`, 8 bytes): cloning an id (the inventory's keys, every table row) is a count,
/// and a fleet's hundreds of thousands of ids are one allocation each. Segments are found
/// by scanning the text (ids are short).
/// Equality and hashing ignore ASCII case, because ARM ids are case-insensitive.
#[derive(Clone)]
pub struct ResourceId(ArcStr);

fn is_scope_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("subscriptions") || key.eq_ignore_ascii_case("resourceGroups")
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
        // Pairs throughout: `providers/{namespace}` and `{type}/{name}`.
        if !parts.len().is_multiple_of(2) {
            return Err(ResourceIdError::MissingName(text.to_owned()));
        }
        Ok(Self(ArcStr::from(format!("/{body}"))))
    }

    /// The subscription id (GUID text).
    pub fn subscription_id(&self) -> &str {
        self.pairs().next().map_or("", |(_, v)| v)
    }

    /// The resource group name, if the id is inside one.
    pub fn resource_group(&self) -> Option<&str> {
        self.value_of("resourceGroups")
    }

    /// Provider namespace such as `Microsoft.Compute` (the last one, for an extension
    /// resource).
    pub fn namespace(&self) -> Option<&str> {
        let mut parts = self.segments();
        let mut found = None;
        while let Some(part) = parts.next() {
            if part.eq_ignore_ascii_case("providers") {
                found = parts.next();
            } else {
                parts.next();
            }
        }
        found
    }

    /// The last segment's name (`vm1` for a VM id).
    pub fn name(&self) -> &str {
        self.pairs().last().map_or("", |(_, v)| v)
    }

    /// The last segment's type key (`virtualMachines` for a VM id).
    pub fn kind(&self) -> &str {
        self.pairs().last().map_or("", |(k, _)| k)
    }

    /// Full resource type, e.g. `Microsoft.Compute/restorePointCollections/restorePoints`.
    pub fn resource_type(&self) -> String {
        let typed: Vec<&str> = self.typed_pairs().map(|(k, _)| k).collect();
        match self.namespace() {
            Some(ns) if !typed.is_empty() => format!("{ns}/{}", typed.join("/")),
            _ => self.kind().to_owned(),
        }
    }

    /// Value of a segment key (case-insensitive), e.g. `value_of("restorePoints")`.
    pub fn value_of(&self, key: &str) -> Option<&str> {
        self.pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The enclosing resource: a restore point's collection, a collection's resource group,
    /// a resource group's subscription. `None` for a subscription.
    pub fn parent(&self) -> Option<ResourceId> {
        let count = self.pairs().count();
        if count <= 1 {
            return None;
        }
        let ns = if self.typed_pairs().count() > 1 {
            self.namespace()
        } else {
            None
        };
        let pairs: Vec<(&str, &str)> = self.pairs().take(count - 1).collect();
        Some(Self::from_parts(&pairs, ns))
    }

    /// A child of this resource: `rpc.child("restorePoints", "rp1")`.
    pub fn child(&self, kind: &str, name: &str) -> ResourceId {
        let mut pairs: Vec<(&str, &str)> = self.pairs().collect();
        pairs.push((kind, name));
        Self::from_parts(&pairs, self.namespace())
    }

    /// A provider resource directly in this scope: `rg.provider_child("Microsoft.Compute", "disks", "d1")`.
    pub fn provider_child(&self, namespace: &str, kind: &str, name: &str) -> ResourceId {
        let mut pairs: Vec<(&str, &str)> = self.pairs().collect();
        pairs.push((kind, name));
        Self::from_parts(&pairs, Some(namespace))
    }

    /// The id of a subscription.
    pub fn subscription(subscription_id: &str) -> ResourceId {
        Self::from_parts(&[("subscriptions", subscription_id)], None)
    }

    /// The id of a resource group.
    pub fn resource_group_id(subscription_id: &str, resource_group: &str) -> ResourceId {
        Self::from_parts(
            &[
                ("subscriptions", subscription_id),
                ("resourceGroups", resource_group),
            ],
            None,
        )
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &ResourceId) -> bool {
        let (mine, theirs) = (self.as_str().as_bytes(), other.as_str().as_bytes());
        mine.len() >= theirs.len()
            && mine[..theirs.len()].eq_ignore_ascii_case(theirs)
            && (mine.len() == theirs.len() || mine[theirs.len()] == b'/')
    }

    /// The id as text, exactly as parsed (leading slash guaranteed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text's segments, without the leading slash.
    fn segments(&self) -> std::str::Split<'_, char> {
        self.0.get(1..).unwrap_or_default().split('/')
    }

    /// `(key, value)` of each segment pair, in order; `providers/{namespace}` is skipped.
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut parts = self.segments();
        std::iter::from_fn(move || {
            loop {
                let key = parts.next()?;
                let value = parts.next()?;
                if !key.eq_ignore_ascii_case("providers") {
                    return Some((key, value));
                }
            }
        })
    }

    fn typed_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs().filter(|(k, _)| !is_scope_key(k))
    }

    /// Builds an id from its parts. Parts that came from an id build a valid one; anything
    /// else (a name with a slash, say) still gives an id of that text, never a panic.
    fn from_parts(pairs: &[(&str, &str)], namespace: Option<&str>) -> ResourceId {
        let mut text = String::new();
        let mut ns_written = false;
        for (k, v) in pairs {
            if !is_scope_key(k) && !ns_written {
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
        ResourceId(ArcStr::from(text))
    }
}

impl PartialEq for ResourceId {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for ResourceId {}

impl Hash for ResourceId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Lower-cased a block at a time: hashers are much faster fed slices than bytes.
        let mut block = [0u8; 64];
        for chunk in self.0.as_bytes().chunks(block.len()) {
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
        let a = self.0.bytes().map(|b| b.to_ascii_lowercase());
        let b = other.0.bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(b)
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceId({})", self.0)
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
        s.serialize_str(&self.0)
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
