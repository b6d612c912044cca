//! Local labels for restore points: a ticket, a reason, an owner, and a pin that keeps a
//! point out of every clean-up. Azure's restore points cannot carry tags, so rpdesk keeps
//! labels in its data folder (`labels.json`, written by the app), keyed by the point's
//! resource id (case-insensitive, as ARM ids are); they can be mirrored into the
//! collection's tags, one tag per labelled point, within Azure's 50 tags per resource.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::ResourceId;

/// What rpdesk knows about a point that Azure does not keep.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PointLabel {
    /// A change or incident ticket.
    pub ticket: String,
    /// Why the point exists or is kept.
    pub reason: String,
    /// Who answers for it.
    pub owner: String,
    /// Never deleted by a clean-up.
    pub pinned: bool,
}

impl PointLabel {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        !self.pinned
            && self.ticket.trim().is_empty()
            && self.reason.trim().is_empty()
            && self.owner.trim().is_empty()
    }

    /// With surrounding spaces taken off each field.
    pub fn trimmed(&self) -> Self {
        Self {
            ticket: self.ticket.trim().to_owned(),
            reason: self.reason.trim().to_owned(),
            owner: self.owner.trim().to_owned(),
            pinned: self.pinned,
        }
    }

    /// A short line for the tree and the table: "📌 INC-4711 · alice".
    pub fn summary(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.pinned {
            parts.push("📌");
        }
        for field in [&self.ticket, &self.owner] {
            if !field.trim().is_empty() {
                parts.push(field.trim());
            }
        }
        if parts.len() <= usize::from(self.pinned) && !self.reason.trim().is_empty() {
            parts.push(self.reason.trim());
        }
        match parts.split_first() {
            Some((&"📌", rest)) if !rest.is_empty() => format!("📌 {}", rest.join(" · ")),
            _ => parts.join(" · "),
        }
    }

    /// Every field as one text, for search: "inc-4711 before the upgrade alice pinned".
    pub fn search_text(&self) -> String {
        let mut text = format!("{} {} {}", self.ticket, self.reason, self.owner);
        if self.pinned {
            text.push_str(" pinned");
        }
        text.to_lowercase()
    }

    /// The value of the point's tag on its collection: "ticket=INC-4711; owner=alice;
    /// pinned; reason=…", at most 256 characters (Azure's limit for a tag value).
    pub fn tag_value(&self) -> String {
        let l = self.trimmed();
        let mut parts = Vec::new();
        if !l.ticket.is_empty() {
            parts.push(format!("ticket={}", l.ticket));
        }
        if !l.owner.is_empty() {
            parts.push(format!("owner={}", l.owner));
        }
        if l.pinned {
            parts.push("pinned".to_owned());
        }
        if !l.reason.is_empty() {
            parts.push(format!("reason={}", l.reason));
        }
        let text = parts.join("; ");
        if text.chars().count() <= MAX_TAG_VALUE_CHARS {
            return text;
        }
        let mut cut: String = text.chars().take(MAX_TAG_VALUE_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Azure's limit on the number of tags of one resource.
pub const MAX_TAGS_PER_RESOURCE: usize = 50;
/// Azure's limit on a tag value.
const MAX_TAG_VALUE_CHARS: usize = 256;
/// The name of a point's tag on its collection: this prefix and the point's name.
pub const LABEL_TAG_PREFIX: &str = "rpdesk-label-";

/// Every point's label, by the point's id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Labels {
    map: BTreeMap<ResourceId, PointLabel>,
    /// Bumped on every change, so views can cache what they derive.
    version: u64,
}

/// A labels file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the labels file cannot be read: {0}")]
pub struct LabelsFileError(pub String);

/// The file's shape.
#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    labels: Vec<FileEntry>,
}

#[derive(Serialize, Deserialize)]
struct FileEntry {
    id: String,
    #[serde(flatten)]
    label: PointLabel,
}

/// The `format` of the files this version writes and reads.
const FORMAT: &str = "rpdesk-labels/1";

impl Labels {
    /// A point's label.
    pub fn get(&self, id: &ResourceId) -> Option<&PointLabel> {
        self.map.get(id)
    }

    /// Whether a point is pinned.
    pub fn is_pinned(&self, id: &ResourceId) -> bool {
        self.get(id).is_some_and(|l| l.pinned)
    }

    /// Sets a point's label (an empty one removes it); whether anything changed.
    pub fn set(&mut self, id: ResourceId, label: PointLabel) -> bool {
        let label = label.trimmed();
        let changed = if label.is_empty() {
            self.map.remove(&id).is_some()
        } else if self.map.get(&id) == Some(&label) {
            false
        } else {
            self.map.insert(id, label);
            true
        };
        if changed {
            self.version += 1;
        }
        changed
    }

    /// Every label, by point id.
    pub fn iter(&self) -> impl Iterator<Item = (&ResourceId, &PointLabel)> {
        self.map.iter()
    }

    /// How many points have a label.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no point has a label.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Changes so far (0 for a fresh or freshly read set).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The labels of a collection's points, by point name.
    pub fn of_collection(&self, collection_id: &ResourceId) -> Vec<(&str, &PointLabel)> {
        self.map
            .iter()
            .filter(|(id, _)| id.parent().as_ref() == Some(collection_id))
            .map(|(id, l)| (id.name(), l))
            .collect()
    }

    /// The file's text: every label, by id.
    pub fn to_json(&self) -> String {
        let file = File {
            format: FORMAT.to_owned(),
            labels: self
                .map
                .iter()
                .map(|(id, label)| FileEntry {
                    id: id.to_string(),
                    label: label.clone(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads a labels file; a file rpdesk did not write, or cannot read whole, is an error
    /// (the caller keeps it aside rather than lose a label silently).
    pub fn parse(text: &str) -> Result<Self, LabelsFileError> {
        let file: File = serde_json::from_str(text).map_err(|e| LabelsFileError(e.to_string()))?;
        if file.format != FORMAT {
            return Err(LabelsFileError(format!(
                "format {:?}, not {FORMAT:?}",
                file.format
            )));
        }
        let mut map = BTreeMap::new();
        for entry in file.labels {
            let id = ResourceId::parse(&entry.id)
                .map_err(|e| LabelsFileError(format!("label for {:?}: {e}", entry.id)))?;
            let label = entry.label.trimmed();
            if !label.is_empty() {
                map.insert(id, label);
            }
        }
        Ok(Self { map, version: 0 })
    }
}

/// Why labels cannot be mirrored into a collection's tags.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "Azure allows {MAX_TAGS_PER_RESOURCE} tags per resource: collection {collection} has {other} other tag(s) and {labelled} labelled point(s), {} too many",
    other + labelled - MAX_TAGS_PER_RESOURCE
)]
pub struct TagLimit {
    /// The collection's name.
    pub collection: String,
    /// Tags that are not rpdesk's labels.
    pub other: usize,
    /// Points with a label.
    pub labelled: usize,
}

/// The collection's tags with its points' labels mirrored in: rpdesk's label tags replaced
/// by one per labelled point (`rpdesk-label-<point>`), every other tag kept as it is.
pub fn mirrored_tags(
    collection: &str,
    existing: &BTreeMap<String, String>,
    labels: &[(&str, &PointLabel)],
) -> Result<BTreeMap<String, String>, TagLimit> {
    let mut tags: BTreeMap<String, String> = existing
        .iter()
        .filter(|(k, _)| !is_label_tag(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let other = tags.len();
    let labelled: Vec<(&str, &PointLabel)> = labels
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .copied()
        .collect();
    if other + labelled.len() > MAX_TAGS_PER_RESOURCE {
        return Err(TagLimit {
            collection: collection.to_owned(),
            other,
            labelled: labelled.len(),
        });
    }
    for (point, label) in labelled {
        tags.insert(format!("{LABEL_TAG_PREFIX}{point}"), label.tag_value());
    }
    Ok(tags)
}

/// Whether a tag is one of rpdesk's label tags.
fn is_label_tag(name: &str) -> bool {
    name.get(..LABEL_TAG_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(LABEL_TAG_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ResourceId {
        ResourceId::parse(text).expect("id")
    }

    const RPC: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/rpc";

    fn label(ticket: &str, pinned: bool) -> PointLabel {
        PointLabel {
            ticket: ticket.into(),
            pinned,
            ..Default::default()
        }
    }

    #[test]
    fn labels_are_keyed_by_id_whatever_its_case() {
        let mut labels = Labels::default();
        assert!(labels.set(
            id(&format!("{RPC}/restorePoints/rp-1")),
            label("INC-1", true)
        ));
        let upper = id(&format!("{RPC}/restorePoints/rp-1").to_uppercase());
        assert!(labels.is_pinned(&upper));
        assert_eq!(labels.get(&upper).map(|l| l.ticket.as_str()), Some("INC-1"));
        assert_eq!(labels.version(), 1);
        assert!(
            !labels.set(upper.clone(), label("INC-1", true)),
            "no change"
        );
        assert!(labels.set(upper, PointLabel::default()), "empty removes");
        assert!(labels.is_empty());
    }

    #[test]
    fn the_file_round_trips_and_a_damaged_one_is_an_error() {
        let mut labels = Labels::default();
        labels.set(
            id(&format!("{RPC}/restorePoints/rp-1")),
            PointLabel {
                ticket: "INC-4711".into(),
                reason: "before the upgrade, \"keep\"".into(),
                owner: "alice".into(),
                pinned: true,
            },
        );
        let text = labels.to_json();
        let back = Labels::parse(&text).expect("reads");
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            labels.iter().collect::<Vec<_>>()
        );
        assert!(Labels::parse("{\"format\": \"rpdesk-labels/1\", \"labels\": [").is_err());
        assert!(Labels::parse("{\"format\": \"other\", \"labels\": []}").is_err());
        assert!(
            Labels::parse(
                "{\"format\": \"rpdesk-labels/1\", \"labels\": [{\"id\": \"not an id\"}]}"
            )
            .is_err(),
            "a label whose id cannot be read is not dropped silently"
        );
    }

    #[test]
    fn the_summary_shows_the_pin_ticket_and_owner() {
        let l = PointLabel {
            ticket: "INC-1".into(),
            reason: "why".into(),
            owner: "bob".into(),
            pinned: true,
        };
        assert_eq!(l.summary(), "📌 INC-1 · bob");
        assert_eq!(label("", true).summary(), "📌");
        let reason_only = PointLabel {
            reason: "keep for audit".into(),
            ..Default::default()
        };
        assert_eq!(reason_only.summary(), "keep for audit");
        assert_eq!(l.search_text(), "inc-1 why bob pinned");
    }

    #[test]
    fn mirroring_replaces_label_tags_and_keeps_the_others() {
        let existing = BTreeMap::from([
            ("owner".to_owned(), "ops".to_owned()),
            ("rpdesk-label-gone".to_owned(), "ticket=OLD".to_owned()),
        ]);
        let l = label("INC-9", true);
        let tags = mirrored_tags("rpc", &existing, &[("rp-1", &l)]).expect("fits");
        assert_eq!(
            tags,
            BTreeMap::from([
                ("owner".to_owned(), "ops".to_owned()),
                (
                    "rpdesk-label-rp-1".to_owned(),
                    "ticket=INC-9; pinned".to_owned()
                ),
            ])
        );
    }

    #[test]
    fn mirroring_past_fifty_tags_is_refused_with_the_counts() {
        let existing: BTreeMap<String, String> =
            (0..45).map(|i| (format!("t{i}"), "v".to_owned())).collect();
        let l = label("INC", false);
        let names: Vec<String> = (0..6).map(|i| format!("rp-{i}")).collect();
        let labels: Vec<(&str, &PointLabel)> = names.iter().map(|n| (n.as_str(), &l)).collect();
        let err = mirrored_tags("rpc", &existing, &labels).expect_err("51 tags");
        assert_eq!(
            err.to_string(),
            "Azure allows 50 tags per resource: collection rpc has 45 other tag(s) and 6 labelled point(s), 1 too many"
        );
        assert!(
            mirrored_tags("rpc", &existing, &labels[..5]).is_ok(),
            "50 fit"
        );
    }

    #[test]
    fn a_long_label_is_cut_to_azures_tag_value_limit() {
        let l = PointLabel {
            reason: "x".repeat(400),
            ..Default::default()
        };
        let v = l.tag_value();
        assert_eq!(v.chars().count(), 256);
        assert!(v.ends_with('…'));
    }
}
