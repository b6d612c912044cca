//! Driving the real app in egui_kittest: a harness over `App` on an in-process emulator,
//! and a bounded wait that steps frames until a condition holds.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use rpdesk::app::{App, AppOptions};
use rpdesk::arm::ClientOptions;
use rpdesk::backend::ConnectionSpec;

/// Options for a test app: fast retries, nothing persisted.
pub fn app_options(connection: Option<ConnectionSpec>) -> AppOptions {
    let mut options = AppOptions::new(tokio::runtime::Handle::current());
    options.connection = connection;
    options.ephemeral = true;
    options.client_options = ClientOptions {
        max_retries: 1,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(50),
        default_poll_interval: Duration::from_millis(100),
        max_poll_interval: Duration::from_millis(200),
        ..Default::default()
    };
    options
}

/// A 1400×900 harness over the real app.
pub fn harness(options: AppOptions) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| App::new(cc, options))
}

/// Steps frames until `done` holds; panics with `what` after `timeout`.
pub fn step_until(
    harness: &mut Harness<'_, App>,
    what: &str,
    timeout: Duration,
    done: impl Fn(&App) -> bool,
) {
    let started = Instant::now();
    loop {
        harness.step();
        if done(harness.state()) {
            return;
        }
        if started.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for: {what}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until the inventory is fully loaded.
pub fn wait_loaded(harness: &mut Harness<'_, App>) {
    step_until(
        harness,
        "the inventory to load",
        Duration::from_secs(60),
        |app| app.is_idle() && !app.inventory.vms.is_empty(),
    );
    harness.run_steps(2);
}

/// Expands Contoso Production in the tree and clicks one of its VMs, as a user would.
pub fn open_production_vm(harness: &mut Harness<'_, App>, vm_name: &str) {
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label("Expand Contoso Production").click();
    harness.run_steps(2);
    harness.get_by_label(vm_name).click();
    harness.run_steps(2);
}

/// Opens "Equivalent Azure CLI commands", presses "Copy the commands": the text copied.
pub fn copied_az_commands(h: &mut Harness<'_, App>) -> String {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_label("Equivalent Azure CLI commands").click();
    h.run_steps(3);
    // An accessibility click: the button may sit below a tall dialog's visible part.
    h.get_by_label("Copy the commands").click_accesskit();
    // The click lands in one frame, the app copies after it: look at a few frames.
    for _ in 0..4 {
        h.step();
        let copied = h
            .output()
            .platform_output
            .commands
            .iter()
            .rev()
            .find_map(|c| match c {
                egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            });
        if let Some(text) = copied {
            return text;
        }
    }
    panic!("the commands were not copied")
}

/// Whether some widget's label contains `text`.
pub fn shown(h: &Harness<'_, App>, text: &str) -> bool {
    use egui_kittest::kittest::Queryable as _;
    h.query_all_by_label_contains(text).next().is_some()
}

/// Types into the field labelled `label`.
pub fn type_into(h: &mut Harness<'_, App>, label: &str, text: &str) {
    use egui_kittest::kittest::Queryable as _;
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run_steps(3);
}

/// Empties the field labelled `label`, then types `text` into it.
pub fn clear_and_type(h: &mut Harness<'_, App>, label: &str, text: &str) {
    use egui_kittest::kittest::Queryable as _;
    let field = h.get_by_label(label);
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    if !text.is_empty() {
        h.get_by_label(label).type_text(text);
    }
    h.run_steps(3);
}
