//! The Supportability tab.

use egui::{RichText, Ui};

use super::super::View;
use crate::inventory::NodeId;

/// Draws the Supportability tab.
pub fn supportability_ui(ui: &mut Ui, _view: &View<'_>, focus: Option<&NodeId>) {
    match focus {
        Some(NodeId::Vm(_)) => {
            ui.label(
                RichText::new(
                    "The supportability assessment for this VM is not available in this build",
                )
                .weak(),
            );
        }
        _ => {
            ui.label(
                RichText::new("Select a VM to see what the support matrix allows for it").weak(),
            );
        }
    }
}
