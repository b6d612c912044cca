//! The journal's fold, its torn last line, undo, and the evidence.

use super::*;
use crate::restore::evidence::{evidence, markdown};
use crate::restore::journal::{CallIds, Record, read_journal, record_line};
use crate::restore::{Phase, StepOutcome, Target, UndoStep, plan, undo_steps};

fn journal(records: &[Record]) -> String {
    records
        .iter()
        .map(|r| record_line(r).expect("serialisable"))
        .collect()
}

fn planned(target: Target) -> Record {
    let f = facts();
    let p = plan(&f, &choices(&f, target), "r-test", "demo").expect("plan");
    Record::Planned {
        plan: Box::new(p),
        principal: "ops@contoso.com".into(),
        at: 100,
    }
}

fn finished(step: usize) -> Record {
    Record::StepFinished {
        step,
        at: 200 + step as i64,
        outcome: StepOutcome::Succeeded,
        note: None,
        ids: CallIds {
            request_id: Some(format!("req-{step}")),
            correlation_id: Some("corr-1".into()),
        },
        error: None,
    }
}

#[test]
fn a_step_that_started_and_never_ended_pauses_the_run_there() {
    let text = journal(&[
        planned(Target::DisksOnly),
        Record::StepStarted { step: 0, at: 150 },
        finished(0),
        Record::StepStarted { step: 1, at: 160 },
    ]);
    let (state, _, torn) = read_journal(&text).expect("readable");
    assert!(torn.is_none());
    assert!(state.is_unfinished());
    assert!(state.steps[0].is_done());
    assert!(state.steps[1].is_running());
    assert!(
        matches!(&state.phase, Phase::Paused { reason, .. } if reason.contains("stopped during"))
    );
}

#[test]
fn a_torn_last_line_is_left_out_and_said() {
    let mut text = journal(&[
        planned(Target::DisksOnly),
        Record::StepStarted { step: 0, at: 150 },
    ]);
    text.push_str("{\"record\":\"step_fini");
    let (state, records, torn) = read_journal(&text).expect("readable");
    assert_eq!(records.len(), 2);
    assert!(torn.is_some_and(|t| t.contains("cut short")));
    assert!(state.steps[0].is_running());
    let mut broken = journal(&[planned(Target::DisksOnly)]);
    broken.insert_str(0, "garbage\n");
    assert!(read_journal(&broken).is_err());
}

#[test]
fn a_finished_or_dismissed_run_needs_no_decision() {
    let mut records = vec![planned(Target::DisksOnly)];
    for i in 0..4 {
        records.push(Record::StepStarted { step: i, at: 150 });
        records.push(finished(i));
    }
    records.push(Record::Finished { at: 300 });
    let (state, ..) = read_journal(&journal(&records)).expect("readable");
    assert_eq!(state.phase, Phase::Finished);
    assert!(!state.is_unfinished());
    assert_eq!(state.percent(), 100.0);
    let (state, ..) = read_journal(&journal(&[
        planned(Target::Swap),
        Record::Dismissed { at: 5 },
    ]))
    .expect("readable");
    assert!(!state.is_unfinished());
}

#[test]
fn undo_puts_a_swapped_vm_back_before_deleting_only_what_the_run_created() {
    let (state, ..) = read_journal(&journal(&[planned(Target::Swap)])).expect("readable");
    let steps = undo_steps(&state);
    assert!(matches!(&steps[0], UndoStep::PutBackVm { original, .. } if original.was_running));
    assert!(matches!(&steps[1], UndoStep::UntagReplaced { disk_ids } if disk_ids.len() == 4));
    let deletes = steps
        .iter()
        .filter(|s| matches!(s, UndoStep::DeleteDisk { .. }))
        .count();
    assert_eq!(deletes, 4, "the four restored disks, never the originals");
    for s in &steps {
        if let UndoStep::DeleteDisk { disk_id } = s {
            assert!(disk_id.name().ends_with("-rp-7"), "{disk_id}");
        }
    }
    let (state, ..) = read_journal(&journal(&[planned(Target::NewVm)])).expect("readable");
    let steps = undo_steps(&state);
    assert!(matches!(steps[0], UndoStep::DeleteVm { .. }));
    assert!(matches!(steps[1], UndoStep::DeleteNic { .. }));
}

#[test]
fn evidence_names_who_why_the_point_and_each_call_id() {
    let mut records = vec![planned(Target::DisksOnly)];
    for i in 0..4 {
        records.push(Record::StepStarted { step: i, at: 150 });
        records.push(finished(i));
    }
    records.push(Record::Finished { at: 300 });
    let (state, ..) = read_journal(&journal(&records)).expect("readable");
    let e = evidence(&state);
    assert_eq!(e.who, "ops@contoso.com");
    assert_eq!(e.reason, "INC-4711: bad patch");
    assert_eq!(e.outcome, "completed");
    assert_eq!(e.created.len(), 4);
    assert_eq!(e.steps[2].request_id.as_deref(), Some("req-2"));
    let md = markdown(&e);
    assert!(md.contains("INC-4711: bad patch"));
    assert!(md.contains("| 3 | Restore LUN 1"));
    assert!(md.contains("req-3"));
    assert!(md.contains("az disk create"));
    let json = serde_json::to_string(&e).expect("json");
    assert!(!json.to_ascii_lowercase().contains("bearer"));
}
