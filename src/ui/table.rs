//! The centre table: the selection's children (or every restore point below it), with
//! sortable, resizable columns and a filter box. Rows are virtualised.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::state::{SortOrder, UiState};
use super::table_model::Cell;
use super::theme::Tone;
use super::widgets::{badge_ui, local_time_text};
use super::{Command, View};
use crate::model::{SizeGib, ago_text};

const ROW_HEIGHT: f32 = 20.0;

/// Draws the table for the current selection.
pub fn table_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    let selection = state.selection.clone();
    let now = ui.input(|i| i.time);
    let (model, order, repaint_in) = state.table_view(view.inventory, now);
    if let Some(secs) = repaint_in {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(secs));
    }
    let (title, total) = (model.title.clone(), model.rows.len());
    let shown = order.len();

    let count = if shown == total {
        format!("{total}")
    } else {
        format!("{shown} of {total}")
    };
    // The title elides, never the count after it.
    let heading = |ui: &mut Ui| {
        let count = egui::WidgetText::from(RichText::new(&count).weak());
        let count = count.into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        let room = ui.available_width() - count.size().x - ui.spacing().item_spacing.x;
        ui.scope(|ui| {
            ui.set_max_width(room.max(0.0));
            ui.add(egui::Label::new(RichText::new(&title).heading()).truncate());
        });
        ui.label(count);
    };
    let right_to_left = egui::Layout::right_to_left(egui::Align::Center);
    // The title takes what the controls leave; a narrow table puts them on a line of their
    // own rather than over it.
    if ui.available_width() >= CONTROLS_WIDTH + 200.0 {
        ui.horizontal(|ui| {
            ui.with_layout(right_to_left, |ui| {
                table_controls(ui, state);
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), heading);
            });
        });
    } else {
        ui.horizontal(heading);
        ui.horizontal(|ui| ui.with_layout(right_to_left, |ui| table_controls(ui, state)));
    }
    if total == 0 {
        ui.add_space(12.0);
        ui.label(RichText::new(empty_text(selection.as_ref())).weak());
        return;
    }

    let sort = state.sort;
    let mut cursor = state.caches.table_cursor.clone();
    let scroll_to_cursor = std::mem::take(&mut state.caches.scroll_table_to_cursor);
    let mut clicked_header: Option<usize> = None;
    let mut activated: Option<crate::inventory::NodeId> = None;
    // The controls above may have changed the table (the "Every point below" box): draw
    // the model as it is now, with its own columns.
    let (model, order, _) = state.table_view(view.inventory, now);
    let (title, columns) = (&model.title, &model.columns);
    // Narrow windows scroll the table sideways instead of clipping columns away.
    let min_width: f32 = columns.iter().map(|c| c.width).sum();
    egui::ScrollArea::horizontal()
        .id_salt("table_h")
        .show(ui, |ui| {
            ui.set_min_width(min_width);
            let cursor_row = if scroll_to_cursor {
                cursor
                    .as_ref()
                    .and_then(|c| order.iter().position(|&i| &model.rows[i].node == c))
            } else {
                None
            };
            let mut table = TableBuilder::new(ui)
                .id_salt(("table", columns.len(), title.as_str()))
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::click())
                .auto_shrink([false, false])
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
            if let Some(row) = cursor_row {
                table = table.scroll_to_row(row, Some(egui::Align::Center));
            }
            for (i, c) in columns.iter().enumerate() {
                let column = if i + 1 == columns.len() {
                    Column::remainder().at_least(40.0)
                } else {
                    Column::initial(c.width).at_least(30.0)
                };
                // Not clipped: a clipped cell is a clip rectangle, and each clip rectangle
                // a draw call of its own (199 in a frame of the points table; under a
                // software renderer, 16 MB of binned geometry more). The cells elide their
                // texts to the column instead (`cell_ui`), and a column stays as wide as
                // its title.
                table = table.column(column.clip(false));
            }
            table
                .header(22.0, |mut header| {
                    for (i, c) in columns.iter().enumerate() {
                        header.col(|ui| {
                            let arrow = match (sort.column == Some(i), sort.descending) {
                                (true, false) => " ⏶",
                                (true, true) => " ⏷",
                                _ => "",
                            };
                            if ui
                                .add(
                                    egui::Button::new(
                                        RichText::new(format!("{}{arrow}", c.title)).strong(),
                                    )
                                    .frame(false),
                                )
                                .clicked()
                            {
                                clicked_header = Some(i);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, order.len(), |mut row| {
                        let index = order[row.index()];
                        let r = &model.rows[index];
                        row.set_selected(cursor.as_ref() == Some(&r.node));
                        for cell in model.cells(view.inventory, index).iter() {
                            row.col(|ui| cell_ui(ui, cell, view.now_unix));
                        }
                        let resp = row.response();
                        if resp.clicked() {
                            cursor = Some(r.node.clone());
                        }
                        if resp.double_clicked() {
                            activated = Some(r.node.clone());
                        }
                    });
                });
        });
    state.caches.table_cursor = cursor;
    if let Some(i) = clicked_header {
        state.sort = SortOrder {
            column: Some(i),
            descending: state.sort.column == Some(i) && !state.sort.descending,
        };
    }
    if let Some(node) = activated {
        commands.push(Command::Reveal(node));
    }
}

fn empty_text(selection: Option<&crate::inventory::NodeId>) -> &'static str {
    use crate::inventory::NodeId;
    match selection {
        None => "No subscriptions yet",
        Some(NodeId::Subscription(_) | NodeId::Group { .. }) => "No virtual machines here",
        Some(NodeId::Vm(_)) => "This VM has no restore points. Create one to protect it",
        Some(NodeId::Collection(_)) => "This collection holds no restore points",
        Some(NodeId::Unlinked(_)) => "Every collection here belongs to a VM",
        Some(NodeId::Point(_)) => "No disk restore points",
        Some(NodeId::DiskPoint(_)) => "A disk restore point has no children: see the inspector",
    }
}

/// About the width of [`table_controls`].
const CONTROLS_WIDTH: f32 = 360.0;

/// The filter and the "Every point below" box, laid out right to left.
fn table_controls(ui: &mut Ui, state: &mut UiState) {
    ui.checkbox(&mut state.table_all_points, "Every point below")
        .on_hover_text(
            "List every restore point under the selection instead of its direct children",
        );
    let label = ui.label("Filter");
    ui.add(
        egui::TextEdit::singleline(&mut state.table_filter)
            .hint_text("name, state, mode…")
            .desired_width(180.0),
    )
    .labelled_by(label.id);
}

/// A cell's contents; texts elide to the column's width (the full text shows on hover).
fn cell_ui(ui: &mut Ui, cell: &Cell, now_unix: i64) {
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    match cell {
        Cell::Text(t) => match t.as_str() {
            "ApplicationConsistent" => badge_ui(ui, t, Tone::App),
            "CrashConsistent" => badge_ui(ui, t, Tone::Crash),
            "FileSystemConsistent" => badge_ui(ui, t, Tone::FileSystem),
            "Failed" | "Canceled" => badge_ui(ui, t, Tone::Error),
            "Creating" | "Deleting" | "Updating" => badge_ui(ui, t, Tone::Warn),
            _ => {
                ui.label(t.as_str());
            }
        },
        Cell::Time(Some(t)) => {
            ui.label(local_time_text(*t))
                .on_hover_text(ago_text(*t, now_unix));
        }
        Cell::Time(None) | Cell::Size(None) | Cell::Percent(None) => {
            ui.label(RichText::new("—").weak());
        }
        Cell::Size(Some(gib)) => {
            ui.label(SizeGib(*gib).to_string());
        }
        Cell::Count(n) => {
            ui.label(n.to_string());
        }
        Cell::Percent(Some(p)) => {
            ui.add(
                egui::ProgressBar::new((*p / 100.0) as f32)
                    .text(format!("{p:.0}%"))
                    .desired_width(56.0),
            );
        }
    }
}
