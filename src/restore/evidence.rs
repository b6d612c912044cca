//! The evidence report of a run, for the change ticket: who, when, why, from which point,
//! what was created, and each step with its outcome and ARM's request ids. JSON and
//! Markdown. Never holds a token.

use serde::Serialize;

use super::az;
use super::choices::Target;
use super::journal::{Phase, RunState, StepOutcome, StepState};
use crate::model::{Timestamp, ago_text};

/// One step, as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceStep {
    pub title: String,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub run_id: String,
    pub who: String,
    pub connection: String,
    pub started: String,
    pub ended: Option<String>,
    pub outcome: String,
    pub reason: String,
    pub target: String,
    pub source_point: String,
    pub source_point_time: Option<String>,
    /// The point's age when the run started.
    pub source_point_age: Option<String>,
    pub consistency: Option<String>,
    pub vm: Option<String>,
    pub created: Vec<String>,
    pub steps: Vec<EvidenceStep>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undo_steps: Vec<EvidenceStep>,
    pub az_commands: Vec<String>,
}

fn time(unix: i64) -> String {
    Timestamp::from_unix_secs(unix).to_rfc3339()
}

fn outcome_text(o: Option<StepOutcome>, started: bool) -> String {
    match o {
        Some(StepOutcome::Succeeded) => "succeeded".into(),
        Some(StepOutcome::Skipped) => "already done (skipped)".into(),
        Some(StepOutcome::Failed) => "failed".into(),
        Some(StepOutcome::Cancelled) => "cancelled".into(),
        None if started => "interrupted".into(),
        None => "not run".into(),
    }
}

fn step(s: &StepState) -> EvidenceStep {
    EvidenceStep {
        title: s.title.clone(),
        started: s.started.map(time),
        ended: s.ended.map(time),
        outcome: outcome_text(s.outcome, s.started.is_some()),
        note: s.note.clone(),
        request_id: s.ids.request_id.clone(),
        correlation_id: s.ids.correlation_id.clone(),
        error: s.error.as_ref().map(|e| e.summary()),
    }
}

/// The report of a run as it stands.
pub fn evidence(state: &RunState) -> Evidence {
    let plan = &state.plan;
    let outcome = match &state.phase {
        Phase::Finished => "completed".to_owned(),
        Phase::Running => "running".to_owned(),
        Phase::Paused { reason, .. } => format!("paused: {reason}"),
        Phase::Undoing => "undoing".to_owned(),
        Phase::UndoPaused { reason, .. } => format!("undo paused: {reason}"),
        Phase::Undone => "undone".to_owned(),
        Phase::Dismissed => "dismissed (left as it was)".to_owned(),
    };
    let created = state
        .steps
        .iter()
        .zip(&plan.steps)
        .filter(|(s, _)| s.outcome == Some(StepOutcome::Succeeded))
        .filter_map(|(_, p)| created_by(&p.kind))
        .collect();
    Evidence {
        run_id: plan.run_id.clone(),
        who: state.principal.clone(),
        connection: plan.connection.clone(),
        started: time(state.started_at),
        ended: state.finished_at.map(time),
        outcome,
        reason: plan.reason.clone(),
        target: match plan.target {
            Target::DisksOnly => "disks only".to_owned(),
            Target::NewVm => "a new VM".to_owned(),
            Target::Swap => "the source VM, rolled back in place".to_owned(),
        },
        source_point: plan.point_id.to_string(),
        source_point_time: plan.point_time_unix.map(time),
        source_point_age: plan.point_time_unix.map(|t| {
            ago_text(t, state.started_at)
                .trim_end_matches(" ago")
                .to_owned()
        }),
        consistency: plan.consistency.as_ref().map(|c| c.to_string()),
        vm: plan.vm_id.as_ref().map(|v| v.to_string()),
        created,
        steps: state.steps.iter().map(step).collect(),
        undo_steps: state.undo_steps.iter().map(step).collect(),
        az_commands: az::commands(plan).into_iter().map(|c| c.text).collect(),
    }
}

/// The resource a succeeded step created, if it creates one.
fn created_by(kind: &super::plan::StepKind) -> Option<String> {
    use super::plan::StepKind;
    match kind {
        StepKind::RestoreDisk { request, .. } => Some(request.disk_id.to_string()),
        StepKind::CreateNic(nic) => Some(nic.nic_id.to_string()),
        StepKind::CreateVm { request, .. } => Some(request.vm_id.to_string()),
        StepKind::SafetyPoint(sp) => Some(
            sp.collection_id
                .child("restorePoints", &sp.point_name)
                .to_string(),
        ),
        _ => None,
    }
}

/// The report as Markdown.
pub fn markdown(e: &Evidence) -> String {
    let mut md = format!("# Restore {}\n\n", e.run_id);
    let mut row = |k: &str, v: &str| md.push_str(&format!("- **{k}:** {v}\n"));
    row("Outcome", &e.outcome);
    row("Who", &e.who);
    row("Connection", &e.connection);
    row("Started", &e.started);
    row("Ended", e.ended.as_deref().unwrap_or("—"));
    row("Reason", &e.reason);
    row("Target", &e.target);
    row("Source restore point", &format!("`{}`", e.source_point));
    if let Some(t) = &e.source_point_time {
        let age = e.source_point_age.as_deref().unwrap_or("?");
        row("Taken", &format!("{t} ({age} before the restore)"));
    }
    if let Some(c) = &e.consistency {
        row("Consistency", c);
    }
    if let Some(vm) = &e.vm {
        row("VM", &format!("`{vm}`"));
    }
    md.push_str("\n## Created\n\n");
    if e.created.is_empty() {
        md.push_str("Nothing.\n");
    }
    for id in &e.created {
        md.push_str(&format!("- `{id}`\n"));
    }
    steps_md(&mut md, "Steps", &e.steps);
    if !e.undo_steps.is_empty() {
        steps_md(&mut md, "Undo", &e.undo_steps);
    }
    md.push_str("\n## Equivalent Azure CLI commands\n\n```sh\n");
    for c in &e.az_commands {
        md.push_str(c);
        md.push('\n');
    }
    md.push_str("```\n");
    md
}

fn steps_md(md: &mut String, title: &str, steps: &[EvidenceStep]) {
    md.push_str(&format!(
        "\n## {title}\n\n| # | step | started | ended | outcome | request id | correlation id |\n|---|---|---|---|---|---|---|\n"
    ));
    for (i, s) in steps.iter().enumerate() {
        let mut outcome = s.outcome.clone();
        if let Some(e) = &s.error {
            outcome.push_str(&format!(": {e}"));
        }
        if let Some(n) = &s.note {
            outcome.push_str(&format!(" ({n})"));
        }
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&s.title),
            s.started.as_deref().unwrap_or("—"),
            s.ended.as_deref().unwrap_or("—"),
            cell(&outcome),
            s.request_id.as_deref().unwrap_or("—"),
            s.correlation_id.as_deref().unwrap_or("—"),
        ));
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
