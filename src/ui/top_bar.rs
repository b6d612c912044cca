//! The top bar: connection, search, refresh, view options.

use egui::{RichText, Ui};

use super::state::{CentreView, ConnectDialog, ThemeChoice, UiState};
use super::theme::Tone;
use super::widgets::{badge_ui, write_button};
use super::{Command, ConnectionKind, ConnectionStatus, View};
use crate::auth::Cloud;

/// Draws the bar.
pub fn top_bar_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.strong("rpdesk");
        ui.separator();
        connection_ui(ui, view, state, commands);
        ui.separator();
        let search_label = ui.label("Search");
        let search = ui.add(
            egui::TextEdit::singleline(&mut state.search_query)
                .hint_text("name, ID, tag, region…  (Ctrl+F)")
                .desired_width(220.0)
                .id(egui::Id::unique("global_search")),
        );
        let search = search.labelled_by(search_label.id).on_hover_text(
            "Search VMs, collections and points by name, ID, tag, region or disk type",
        );
        if search.changed() || search.gained_focus() {
            state.search_open = !state.search_query.trim().is_empty();
        }
        if ui
            .button("⟳ Refresh")
            .on_hover_text("Reload everything (F5)")
            .clicked()
        {
            commands.push(Command::Refresh);
        }
        for (centre, label, hint) in [
            (
                CentreView::Fleet,
                "Fleet",
                "Every VM's supportability in both modes, as a grid",
            ),
            (
                CentreView::Cost,
                "Cost",
                "What the fleet's restore points cost, and what a retention policy would",
            ),
        ] {
            let on = state.centre == centre;
            if ui.selectable_label(on, label).on_hover_text(hint).clicked() {
                state.centre = if on { CentreView::Table } else { centre };
            }
        }
        // Clean-ups and exports work on what is loaded: nothing until connected.
        let connected = matches!(view.connection.status, super::ConnectionStatus::Connected);
        let not_connected = "Not connected: nothing is loaded yet";
        if ui
            .add_enabled(connected, egui::Button::new("Clean up…"))
            .on_hover_text(
                "Apply a retention rule to the selection (or the fleet): preview, then delete",
            )
            .on_disabled_hover_text(not_connected)
            .clicked()
        {
            super::lifecycle::open_cleanup(state, state.selection.clone());
        }
        if ui
            .selectable_label(state.lifecycle.leaks_open, "Leaks")
            .on_hover_text("Collections and points that keep costing or will block a new point")
            .clicked()
        {
            state.lifecycle.leaks_open = !state.lifecycle.leaks_open;
        }
        if ui
            .add_enabled(connected, egui::Button::new("Export…"))
            .on_hover_text("Save the inventory or the supportability as JSON or CSV")
            .on_disabled_hover_text(not_connected)
            .clicked()
        {
            state.export_dialog = Some(Default::default());
        }
        if let Some(w) = state.restore_wizard.as_mut().filter(|w| w.hidden) {
            let running = w
                .run_id
                .as_deref()
                .and_then(|id| view.restores.get(id))
                .is_some_and(|r| r.busy);
            let text = if running {
                format!("Restore of {} running · Show", w.point_id.name())
            } else {
                format!("Restore of {} · Show", w.point_id.name())
            };
            if ui.button(text).clicked() {
                w.hidden = false;
            }
        }
        if view.inventory.progress().is_complete() {
            ui.add_space(18.0);
        } else {
            ui.spinner();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            read_only_ui(ui, view, state);
            view_menu_ui(ui, state);
        });
    });
}

/// Theme and grouping, in one menu so the bar keeps room for the actions.
fn view_menu_ui(ui: &mut Ui, state: &mut UiState) {
    ui.menu_button("View", |ui| {
        ui.label(RichText::new("Theme").weak());
        ui.selectable_value(&mut state.theme, ThemeChoice::System, "System theme");
        ui.selectable_value(&mut state.theme, ThemeChoice::Light, "Light");
        ui.selectable_value(&mut state.theme, ThemeChoice::Dark, "Dark");
        ui.separator();
        if ui
            .checkbox(&mut state.group_by_rg, "Group by resource group")
            .changed()
        {
            state.caches.expanded_version += 1;
        }
    })
    .response
    .on_hover_text("Theme, and grouping VMs by resource group");
}

/// The read-only setting, and a badge while writes are refused.
fn read_only_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState) {
    if view.read_only_flag {
        let mut on = true;
        ui.add_enabled(false, egui::Checkbox::new(&mut on, "Read-only"))
            .on_disabled_hover_text("Started with --read-only: restart without it to make changes");
    } else {
        ui.checkbox(&mut state.read_only, "Read-only").on_hover_text(
            "Refuse every change to the estate (restore points, restores, copies, the demo reset); browsing, cost and exports still work",
        );
    }
    if view.read_only.is_some() {
        badge_ui(ui, "READ-ONLY", Tone::Warn);
    }
}

fn connection_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    let conn = view.connection;
    let label = ui.label("Connection");
    let combo = egui::ComboBox::from_id_salt("connection")
        .selected_text(conn.label.as_str())
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(conn.kind == ConnectionKind::Demo, "Demo (local emulator)")
                .clicked()
            {
                commands.push(Command::ConnectDemo);
            }
            for cloud in [Cloud::Public, Cloud::China, Cloud::UsGov] {
                if ui
                    .selectable_label(conn.kind == ConnectionKind::Azure(cloud), cloud.label())
                    .clicked()
                {
                    commands.push(Command::ConnectAzure(cloud));
                }
            }
            if ui
                .selectable_label(conn.kind == ConnectionKind::Custom, "Custom endpoint…")
                .clicked()
            {
                state.connect_dialog = Some(ConnectDialog {
                    endpoint: "http://127.0.0.1:7780".into(),
                    ..Default::default()
                });
            }
        });
    combo.response.labelled_by(label.id);
    match &conn.status {
        ConnectionStatus::Connecting => {
            ui.spinner();
            ui.label("Connecting…");
        }
        ConnectionStatus::Connected => badge_ui(ui, "connected", Tone::Ok),
        ConnectionStatus::Failed(e) => {
            // The reason is in the window's panel, never squeezed over the controls here.
            ui.label(
                RichText::new("not connected")
                    .small()
                    .color(super::theme::tone(ui, Tone::Error)),
            )
            .on_hover_text(e.summary());
        }
    }
    if conn.kind == ConnectionKind::Demo {
        if state.confirm_reset_demo {
            ui.label("Reset the demo estate?");
            if write_button(ui, view, "Reset").clicked() {
                commands.push(Command::ResetDemo);
                state.confirm_reset_demo = false;
            }
            if ui.button("Keep").clicked() {
                state.confirm_reset_demo = false;
            }
        } else if write_button(ui, view, "Reset demo…")
            .on_hover_text("Put the demo estate back as shipped")
            .clicked()
        {
            state.confirm_reset_demo = true;
        }
    }
}

/// The custom endpoint dialog.
pub fn connect_dialog_ui(ctx: &egui::Context, state: &mut UiState, commands: &mut Vec<Command>) {
    let Some(dialog) = state.connect_dialog.as_mut() else {
        return;
    };
    let mut close = false;
    egui::Window::new("Connect to an ARM endpoint")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("connect").num_columns(2).show(ui, |ui| {
                let l = ui.label("Endpoint URL");
                ui.add(egui::TextEdit::singleline(&mut dialog.endpoint).desired_width(280.0))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Bearer token");
                ui.add(
                    egui::TextEdit::singleline(&mut dialog.token)
                        .password(true)
                        .desired_width(280.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
            let valid = crate::model::validate_endpoint(&dialog.endpoint);
            if let Err(e) = &valid {
                ui.label(RichText::new(e.as_str()).color(super::theme::tone(ui, Tone::Error)));
            }
            if dialog.token.trim().is_empty() {
                ui.label(
                    RichText::new("A token is needed (any text for the rpdesk emulator)").weak(),
                );
            }
            ui.horizontal(|ui| {
                let ready = valid.is_ok() && !dialog.token.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Connect"))
                    .clicked()
                {
                    commands.push(Command::ConnectCustom {
                        endpoint: dialog.endpoint.trim().to_owned(),
                        token: crate::auth::BearerToken::new(dialog.token.trim()),
                    });
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if close || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        state.connect_dialog = None;
    }
}
