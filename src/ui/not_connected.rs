//! When the connection failed (a sign-in that did not work, an endpoint that does not
//! answer): a readable panel in place of the table, with what was tried, why each failed,
//! what to do, and the buttons that do it.

use egui::{RichText, Ui};

use super::theme::{self, Tone};
use super::{Command, ConnectionKind, ConnectionStatus, View};

/// Draws the panel if the connection failed before anything loaded; returns whether it did.
pub fn not_connected_ui(ui: &mut Ui, view: &View<'_>, commands: &mut Vec<Command>) -> bool {
    let ConnectionStatus::Failed(error) = &view.connection.status else {
        return false;
    };
    if view.inventory.subscriptions.value().is_some() {
        return false;
    }
    egui::ScrollArea::vertical()
        .id_salt("not_connected")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(760.0);
            ui.add_space(12.0);
            let sign_in = error.code.as_deref() == Some("SignInFailed");
            let title = if sign_in {
                error.message.clone()
            } else {
                format!("Could not connect to {}", view.connection.label)
            };
            ui.label(
                RichText::new(format!("⚠ {title}"))
                    .heading()
                    .color(theme::tone(ui, Tone::Error)),
            );
            ui.add_space(6.0);
            if !sign_in {
                ui.add(egui::Label::new(error.summary()).wrap());
            }
            if !error.details.is_empty() {
                ui.label("rpdesk tried each way to sign in, in this order:");
                for d in &error.details {
                    let (source, why) = d.split_once(": ").unwrap_or((d.as_str(), ""));
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(format!("• {source}")).strong());
                        ui.add(egui::Label::new(RichText::new(why).weak()).wrap());
                    });
                }
            }
            ui.add_space(8.0);
            ui.strong("What to do");
            for line in advice(view.connection.kind, sign_in) {
                ui.add(egui::Label::new(format!("• {line}")).wrap());
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Retry")
                    .on_hover_text("Try the same connection again")
                    .clicked()
                {
                    commands.push(Command::Refresh);
                }
                if let ConnectionKind::Azure(cloud) = view.connection.kind
                    && ui
                        .button("Sign in again")
                        .on_hover_text("Ask every credential source afresh (after `az login`, say)")
                        .clicked()
                {
                    commands.push(Command::ConnectAzure(cloud));
                }
                if view.connection.kind != ConnectionKind::Demo
                    && ui.button("Use the demo").clicked()
                {
                    commands.push(Command::ConnectDemo);
                }
            });
        });
    true
}

/// What to do, for this kind of connection.
fn advice(kind: ConnectionKind, sign_in: bool) -> Vec<String> {
    match kind {
        ConnectionKind::Azure(_) if sign_in => vec![
            "Run `az login` in a terminal (`az login --tenant <tenant id>` for another tenant), then Retry".into(),
            "Or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal (or AZURE_FEDERATED_TOKEN_FILE for workload identity) and start rpdesk again".into(),
            "For Azure China or Azure US Government, start rpdesk with `--azure --cloud china` or `--cloud usgov`".into(),
        ],
        ConnectionKind::Azure(_) => vec![
            "Check the network and any proxy (HTTPS_PROXY, NO_PROXY), then Retry".into(),
            "If your sign-in has expired or changed, Sign in again".into(),
        ],
        ConnectionKind::Custom => vec![
            "Check the endpoint's address and that it is running (a local emulator: `rpdesk emulator`), then Retry".into(),
            "Check the token: the endpoint answers 401 without the right one".into(),
        ],
        ConnectionKind::Demo => vec![
            "The demo runs an emulator inside rpdesk: Retry, or start rpdesk with `--fresh-demo` to use a demo estate in memory".into(),
        ],
    }
}
