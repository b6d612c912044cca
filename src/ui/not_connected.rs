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
            let demo_state = DemoState::of(error.code.as_deref());
            let title = if sign_in {
                error.message.clone()
            } else if demo_state == Some(DemoState::Damaged) {
                "The demo estate's file is damaged".to_owned()
            } else {
                format!("Could not connect to {}", view.connection.label)
            };
            ui.label(
                RichText::new(format!("⚠ {title}"))
                    .heading()
                    .color(theme::tone(ui, Tone::Error)),
            );
            ui.add_space(6.0);
            if demo_state.is_some() {
                ui.add(egui::Label::new(error.message.as_str()).wrap());
            } else if !sign_in {
                ui.add(egui::Label::new(error.summary()).wrap());
            }
            if !error.details.is_empty() && demo_state.is_none() {
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
            for d in error.details.iter().filter(|_| demo_state.is_some()) {
                ui.add(egui::Label::new(RichText::new(d).monospace()).wrap());
            }
            ui.add_space(8.0);
            ui.strong("What to do");
            let lines = match demo_state {
                Some(state) => state.advice(),
                None => advice(view.connection.kind, sign_in),
            };
            for line in lines {
                ui.add(egui::Label::new(format!("• {line}")).wrap());
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if demo_state == Some(DemoState::Damaged)
                    && super::widgets::write_button(ui, view, "Set it aside and start a new demo")
                        .on_hover_text(
                            "Renames the file to <name>.corrupt-<time> beside it (nothing is deleted) and starts the demo estate as shipped",
                        )
                        .clicked()
                {
                    commands.push(Command::ResetDemo);
                }
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

/// Why the demo's emulator could not use its state file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DemoState {
    Damaged,
    InUse,
    Unreadable,
}

impl DemoState {
    fn of(code: Option<&str>) -> Option<Self> {
        match code? {
            crate::backend::DEMO_STATE_CORRUPT => Some(Self::Damaged),
            crate::backend::DEMO_STATE_IN_USE => Some(Self::InUse),
            crate::backend::DEMO_STATE_UNREADABLE => Some(Self::Unreadable),
            _ => None,
        }
    }

    fn advice(self) -> Vec<String> {
        match self {
            Self::Damaged => vec![
                "Set it aside and start a new demo: the file is renamed beside itself (<name>.corrupt-<time>), never deleted".into(),
                "Or start rpdesk with `--fresh-demo` to use a demo estate in memory and leave the file as it is".into(),
            ],
            Self::InUse => vec![
                "Another rpdesk window (or `rpdesk emulator --state` on this file) is using the demo estate: close it, then Retry".into(),
                "Or start this one with `--fresh-demo` (a demo estate in memory) or another `--data-dir`".into(),
            ],
            Self::Unreadable => vec![
                "Check the file's permissions and that it is a regular file, then Retry".into(),
                "Or start rpdesk with `--fresh-demo` or another `--data-dir`".into(),
            ],
        }
    }
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
