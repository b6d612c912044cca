//! Keyboard: arrows, Enter and Esc in the tree, Ctrl+F or `/` to search, F5 to refresh,
//! Ctrl+C to copy the selected resource ID, R to restore the selected point, Delete to
//! delete the selected point or collection (the dialog asks for its name). An open
//! dialog owns the keyboard: none of these act behind it (its own Esc closes it).

use egui::{Key, Modifiers};

use super::state::UiState;
use super::{Command, View};

/// Reads this frame's keys and turns them into commands and UI state changes.
pub fn keyboard(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    if dialog_open(view, state) {
        return;
    }
    let search_id = egui::Id::unique("global_search");
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::F)) {
        ctx.memory_mut(|m| m.request_focus(search_id));
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F5)) {
        commands.push(Command::Refresh);
    }
    let typing = ctx.egui_wants_keyboard_input();
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        if state.search_open || ctx.memory(|m| m.has_focus(search_id)) {
            state.search_open = false;
            ctx.memory_mut(|m| m.surrender_focus(search_id));
        } else if super::lifecycle::close_window(state) {
            // The clean-up or the leak finder closed.
        } else if state.caches.table_cursor.take().is_none()
            && let Some(sel) = &state.selection
        {
            commands.push(Command::Select(
                view.inventory.parent(sel, state.group_by_rg),
            ));
        }
        return;
    }
    if typing {
        return;
    }
    if ctx.input(|i| {
        i.events
            .iter()
            .any(|e| matches!(e, egui::Event::Text(t) if t == "/"))
    }) {
        ctx.memory_mut(|m| m.request_focus(search_id));
        return;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::R))
        && let Some(command) = restore_command(state.selection.as_ref())
    {
        commands.push(command);
        return;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete))
        && let Some(target) = delete_target(view, state.selection.as_ref())
    {
        super::lifecycle::open_delete(state, target);
        return;
    }
    if ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)))
        && let Some(id) = state.selection.as_ref().and_then(|s| s.resource_id())
    {
        commands.push(Command::Copy(id.to_string()));
    }
    if state.caches.table_cursor.is_some() {
        table_keys(ctx, view, state, commands);
    } else {
        tree_keys(ctx, view, state, commands);
    }
}

/// Whether a dialog is open (it owns the keyboard).
pub fn dialog_open(view: &View<'_>, state: &UiState) -> bool {
    state.create_dialog.is_some()
        || state.copy_dialog.is_some()
        || state.group_dialog.is_some()
        || state.connect_dialog.is_some()
        || state.lifecycle.delete.is_some()
        || state.restore_wizard.as_ref().is_some_and(|w| !w.hidden)
        || super::restore::prompt_open(view, state)
}

/// What Delete deletes: the selected point or collection.
pub fn delete_target(
    view: &View<'_>,
    node: Option<&crate::inventory::NodeId>,
) -> Option<crate::lifecycle::DeleteTarget> {
    use crate::inventory::NodeId;
    use crate::lifecycle::DeleteTarget;
    let inv = view.inventory;
    match node? {
        NodeId::Point(id) if inv.point(id).is_some() => Some(DeleteTarget::Point(id.clone())),
        NodeId::Collection(id) if inv.collections.contains_key(id) => {
            Some(DeleteTarget::Collection(id.clone()))
        }
        _ => None,
    }
}

/// "Restore…" for a restore point, or for one disk of it.
pub fn restore_command(node: Option<&crate::inventory::NodeId>) -> Option<Command> {
    use crate::inventory::NodeId;
    match node? {
        NodeId::Point(id) => Some(Command::OpenRestoreWizard {
            point_id: id.clone(),
            only_disk: None,
        }),
        NodeId::DiskPoint(id) => Some(Command::OpenRestoreWizard {
            point_id: id.parent()?,
            only_disk: Some(id.clone()),
        }),
        _ => None,
    }
}

/// With a highlighted table row: ↑/↓ move it, Enter opens it (Esc, above, lets go).
fn table_keys(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
    let (up, down, enter) = (
        pressed(Key::ArrowUp),
        pressed(Key::ArrowDown),
        pressed(Key::Enter),
    );
    if !(up || down || enter) {
        return;
    }
    let Some(cursor) = state.caches.table_cursor.clone() else {
        return;
    };
    let now = ctx.input(|i| i.time);
    let (model, order, _) = state.table_view(view.inventory, now);
    // Positions in the shown order (no copy of its nodes: a table may have 100,000 rows).
    let node = |pos: usize| order.get(pos).map(|&i| model.rows[i].node.clone());
    let at = order.iter().position(|&i| model.rows[i].node == cursor);
    let next = match (at, up, down) {
        (Some(i), true, _) => i.checked_sub(1).and_then(node),
        (Some(i), _, true) => node(i + 1),
        (None, _, _) if up || down => node(0),
        _ => None,
    };
    if enter {
        state.caches.table_cursor = None;
        commands.push(Command::Reveal(cursor));
    } else if let Some(node) = next {
        state.caches.table_cursor = Some(node);
        state.caches.scroll_table_to_cursor = true;
    }
}

fn tree_keys(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
    let (up, down, left, right, enter) = (
        pressed(Key::ArrowUp),
        pressed(Key::ArrowDown),
        pressed(Key::ArrowLeft),
        pressed(Key::ArrowRight),
        pressed(Key::Enter),
    );
    if !(up || down || left || right || enter) {
        return;
    }
    let expanded = std::mem::take(&mut state.expanded);
    let rows = state
        .caches
        .tree(view.inventory, &expanded, state.group_by_rg)
        .to_vec();
    state.expanded = expanded;
    let Some(first) = rows.first() else { return };
    let current = state
        .selection
        .as_ref()
        .and_then(|s| rows.iter().position(|r| &r.node == s));
    let Some(i) = current else {
        commands.push(Command::Select(Some(first.node.clone())));
        return;
    };
    let row = &rows[i];
    let open = state.is_expanded(&row.node);
    let target = if up {
        i.checked_sub(1).map(|j| rows[j].node.clone())
    } else if down {
        rows.get(i + 1).map(|r| r.node.clone())
    } else if right {
        if row.expandable && !open {
            state.set_expanded(&row.node, true);
            None
        } else {
            rows.get(i + 1)
                .filter(|r| r.depth > row.depth)
                .map(|r| r.node.clone())
        }
    } else if left {
        if open {
            state.set_expanded(&row.node, false);
            None
        } else {
            view.inventory.parent(&row.node, state.group_by_rg)
        }
    } else {
        if row.expandable {
            state.set_expanded(&row.node, !open);
        }
        None
    };
    if let Some(node) = target {
        state.caches.scroll_tree_to_selection = true;
        commands.push(Command::Select(Some(node)));
    }
}
