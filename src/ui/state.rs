//! The UI's own state: what is expanded, typed, chosen. The persisted part survives
//! restarts (eframe storage); caches are rebuilt.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::inventory::NodeId;

/// Inspector tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InspectorTab {
    #[default]
    Overview,
    Consistency,
    Supportability,
    Cost,
}

impl InspectorTab {
    /// Every tab, in order.
    pub const ALL: [InspectorTab; 4] = [
        Self::Overview,
        Self::Consistency,
        Self::Supportability,
        Self::Cost,
    ];

    /// Tab title.
    pub fn label(self) -> &'static str {
        match self {
            Self::Overview => "Overview",
            Self::Consistency => "Consistency",
            Self::Supportability => "Supportability",
            Self::Cost => "Cost",
        }
    }
}

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// The connect dialog's fields (never persisted: the token is a secret).
#[derive(Clone, Debug, Default)]
pub struct ConnectDialog {
    pub endpoint: String,
    pub token: String,
    pub cloud: crate::auth::Cloud,
}

/// Sort order of the centre table; `column: None` keeps each table's natural order
/// (VMs by name, newest restore point first, disks by LUN).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortOrder {
    pub column: Option<usize>,
    pub descending: bool,
}

/// Everything the UI keeps between frames.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub theme: ThemeChoice,
    pub group_by_rg: bool,
    pub inspector_tab: InspectorTab,
    /// Show every restore point below the selection instead of its direct children.
    pub table_all_points: bool,
    pub sort: SortOrder,
    pub activity_collapsed: bool,
    #[serde(skip)]
    pub selection: Option<NodeId>,
    #[serde(skip)]
    pub expanded: HashSet<NodeId>,
    #[serde(skip)]
    pub table_filter: String,
    #[serde(skip)]
    pub search_open: bool,
    #[serde(skip)]
    pub search_query: String,
    #[serde(skip)]
    pub show_raw: bool,
    #[serde(skip)]
    pub connect_dialog: Option<ConnectDialog>,
    #[serde(skip)]
    pub confirm_reset_demo: bool,
    #[serde(skip)]
    pub caches: super::cache::Caches,
}

impl UiState {
    /// Expands or collapses a tree node.
    pub fn set_expanded(&mut self, node: &NodeId, expanded: bool) {
        let changed = if expanded {
            self.expanded.insert(node.clone())
        } else {
            self.expanded.remove(node)
        };
        if changed {
            self.caches.expanded_version += 1;
        }
    }

    /// Whether a node is expanded.
    pub fn is_expanded(&self, node: &NodeId) -> bool {
        self.expanded.contains(node)
    }
}
