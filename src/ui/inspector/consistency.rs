//! The Consistency tab: what a point's mode means and which disks it holds.

use egui::{RichText, Ui};

use super::super::View;
use super::super::badges::mode_badge;
use super::super::theme::Tone;
use super::super::timeline::{timeline, timeline_ui};
use super::super::widgets::badge_ui;
use super::kv_ui;
use crate::inventory::NodeId;
use crate::model::{ConsistencyMode, ago_text};

/// Draws the Consistency tab for a point or a VM.
pub fn consistency_ui(ui: &mut Ui, view: &View<'_>, focus: Option<&NodeId>) {
    let inv = view.inventory;
    match focus {
        Some(NodeId::Point(id)) => {
            let Some(p) = inv.point(id) else { return };
            let mode = p.properties.consistency_mode.as_ref();
            let (text, tone) = mode_badge(mode);
            ui.horizontal(|ui| {
                ui.heading(inv.label(&NodeId::Point(id.clone())));
                badge_ui(ui, &text, tone);
            });
            ui.label(meaning(mode));
            if matches!(mode, Some(ConsistencyMode::FileSystemConsistent)) {
                ui.label(RichText::new("Application consistency was requested, but the guest gave file-system consistency only (for example Linux without pre/post scripts).").color(super::super::theme::tone(ui, Tone::FileSystem)));
            }
            ui.add_space(6.0);
            let mut rows: Vec<(&str, String)> = p
                .captured_disks()
                .iter()
                .map(|d| ("Captured", d.name.as_deref().unwrap_or_default().to_owned()))
                .collect();
            rows.extend(p.properties.exclude_disks.iter().map(|d| {
                (
                    "Excluded",
                    d.id.rsplit('/').next().unwrap_or_default().to_owned(),
                )
            }));
            kv_ui(ui, "consistency_disks", &rows);
        }
        Some(NodeId::Vm(id)) => {
            let points = inv.points_of_vm(id);
            ui.heading(id.name());
            let series: Vec<_> = points
                .iter()
                .filter_map(|p| {
                    let t = p.point.properties.time_created?;
                    Some((t.unix_secs(), p.point.properties.consistency_mode.clone()))
                })
                .collect();
            let t = timeline(&series, view.now_unix);
            match t.debt_now_hours {
                Some(h) if h > 24.0 => {
                    ui.label(
                        RichText::new(format!(
                            "Consistency debt {h:.0} h: no application-consistent point for over a day"
                        ))
                        .color(super::super::theme::tone(ui, Tone::Warn)),
                    );
                }
                Some(h) => {
                    ui.label(format!("Consistency debt {h:.0} h"));
                }
                None => {
                    ui.label(
                        RichText::new("No application-consistent point yet")
                            .color(super::super::theme::tone(ui, Tone::Warn)),
                    );
                }
            }
            if !series.is_empty() {
                timeline_ui(ui, &format!("timeline_{}", id.as_str()), &t);
            }
            ui.add_space(6.0);
            let count = |m: &ConsistencyMode| {
                points
                    .iter()
                    .filter(|p| {
                        p.point
                            .properties
                            .consistency_mode
                            .as_ref()
                            .unwrap_or(&ConsistencyMode::ApplicationConsistent)
                            == m
                    })
                    .count()
            };
            let last_app = points
                .iter()
                .rev()
                .find(|p| {
                    matches!(
                        p.point.properties.consistency_mode,
                        None | Some(ConsistencyMode::ApplicationConsistent)
                    )
                })
                .and_then(|p| p.point.properties.time_created);
            kv_ui(
                ui,
                "vm_consistency",
                &[
                    (
                        "Application-consistent",
                        count(&ConsistencyMode::ApplicationConsistent).to_string(),
                    ),
                    (
                        "File-system consistent",
                        count(&ConsistencyMode::FileSystemConsistent).to_string(),
                    ),
                    (
                        "Crash-consistent",
                        count(&ConsistencyMode::CrashConsistent).to_string(),
                    ),
                    (
                        "Last application-consistent",
                        last_app
                            .map(|t| ago_text(t.unix_secs(), view.now_unix))
                            .unwrap_or_else(|| "never".into()),
                    ),
                ],
            );
        }
        _ => {
            ui.label(RichText::new("Select a VM or a restore point to see its consistency").weak());
        }
    }
}

/// What a consistency mode means for the application, in plain words.
pub(in crate::ui) fn meaning(mode: Option<&ConsistencyMode>) -> &'static str {
    match mode {
        Some(ConsistencyMode::CrashConsistent) => {
            "Crash-consistent: write-order consistent across all disks, like a power loss. Applications recover as after a crash; in-flight transactions may be lost."
        }
        Some(ConsistencyMode::FileSystemConsistent) => {
            "File-system consistent: the file system was quiesced, applications were not. Databases may need recovery on restore."
        }
        Some(ConsistencyMode::Other(_)) => {
            "A consistency mode this version of rpdesk does not know."
        }
        _ => {
            "Application-consistent: VSS writers (Windows) or pre/post scripts (Linux) flushed applications before capture. Restores start cleanly."
        }
    }
}
