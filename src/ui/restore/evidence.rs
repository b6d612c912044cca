//! Evidence: the report of the run (who, when, why, the point, what was created, each
//! step with ARM's ids), kept in the data folder and saved where the operator says.

use egui::{RichText, Ui};

use crate::restore::evidence::evidence;
use crate::ui::state::RestoreWizard;
use crate::ui::{Command, View};

pub(super) fn evidence_ui(
    ui: &mut Ui,
    view: &View<'_>,
    w: &mut RestoreWizard,
    commands: &mut Vec<Command>,
) {
    let Some(entry) = w.run_id.as_deref().and_then(|id| view.restores.get(id)) else {
        ui.label("No run yet");
        return;
    };
    let e = evidence(&entry.state);
    egui::Grid::new("restore_evidence")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            let rows = [
                ("Outcome", e.outcome.clone()),
                ("Who", e.who.clone()),
                ("Started", e.started.clone()),
                ("Ended", e.ended.clone().unwrap_or_else(|| "—".into())),
                ("Reason", e.reason.clone()),
                ("Source point", e.source_point.clone()),
                (
                    "Taken",
                    match (&e.source_point_time, &e.source_point_age) {
                        (Some(t), Some(a)) => format!("{t} ({a} before the restore)"),
                        _ => "—".into(),
                    },
                ),
                ("Target", e.target.clone()),
            ];
            for (k, v) in rows {
                ui.label(RichText::new(k).weak());
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.strong(format!("Created ({})", e.created.len()));
    for id in &e.created {
        ui.add(egui::Label::new(RichText::new(id).monospace().small()).wrap());
    }
    ui.add_space(4.0);
    ui.strong("Steps");
    for (i, s) in e.steps.iter().chain(&e.undo_steps).enumerate() {
        ui.add(egui::Label::new(format!("{}. {}", i + 1, s.title)).wrap());
        let mut detail = s.outcome.clone();
        if let Some(r) = &s.request_id {
            detail.push_str(&format!(" · request id {r}"));
        }
        if let Some(err) = &s.error {
            detail.push_str(&format!(" · {err}"));
        }
        ui.add(egui::Label::new(RichText::new(detail).small().weak()).wrap());
    }
    ui.add_space(6.0);
    match &entry.evidence {
        Some((json, md)) => {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "Kept in {} and {}",
                        json.display(),
                        md.file_name()
                            .map(|f| f.to_string_lossy())
                            .unwrap_or_default()
                    ))
                    .small()
                    .weak(),
                )
                .wrap(),
            );
        }
        None => {
            ui.label(
                RichText::new(format!(
                    "Kept in {} once the run ends",
                    view.runs_dir.display()
                ))
                .small()
                .weak(),
            );
        }
    }
    let run_id = entry.state.run_id().to_owned();
    ui.horizontal(|ui| {
        if ui.button("Save JSON…").clicked() {
            commands.push(Command::SaveEvidence {
                run_id: run_id.clone(),
                markdown: false,
                path: None,
            });
        }
        if ui.button("Save Markdown…").clicked() {
            commands.push(Command::SaveEvidence {
                run_id: run_id.clone(),
                markdown: true,
                path: None,
            });
        }
    });
    if w.evidence_path_needed {
        ui.label("No save dialog can open here: type where to save");
        ui.horizontal(|ui| {
            let l = ui.label("Save to");
            ui.add(egui::TextEdit::singleline(&mut w.evidence_path).desired_width(420.0))
                .labelled_by(l.id);
            let path = std::path::PathBuf::from(w.evidence_path.trim());
            let ok = !w.evidence_path.trim().is_empty();
            if ui.add_enabled(ok, egui::Button::new("Save here")).clicked() {
                let markdown = path.extension().is_some_and(|x| x == "md");
                commands.push(Command::SaveEvidence {
                    run_id: run_id.clone(),
                    markdown,
                    path: Some(path),
                });
            }
        });
    }
}
