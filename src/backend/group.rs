//! A group restore point as one operation: one point per member of an availability set
//! or a VMSS Flex scale set, in sequence (Azure makes points one VM at a time), each
//! member's collection created first when it has none. A member the plan skips keeps its
//! reason; a failed member does not stop the others; Cancel stops before the next member.
//! The report (each member's point and `timeCreated`, the time skew) goes to the store.

use super::create::{PointJob, now_unix};
use super::runner::Operation;
use super::{Backend, error_info};
use crate::activity::ActivityStatus;
use crate::arm::ArmError;
use crate::inventory::{
    CreatePointPlan, ErrorInfo, GroupOutcome, GroupPlan, GroupReport, InventoryEvent,
    MemberOutcome, MemberStep,
};
use crate::model::{RestorePoint, Timestamp};

impl Backend {
    /// Queues a group restore point; progress goes to the activity log, the report to
    /// the store ([`InventoryEvent::GroupReport`]).
    pub fn create_group_points(&self, plan: GroupPlan) {
        let this = self.clone();
        self.spawn(async move {
            let total = plan.creations().count();
            let title = format!(
                "Group restore point {} for {} {} ({total} of {} VMs)",
                plan.point_name,
                plan.group.kind.label(),
                plan.group.set_id.name(),
                plan.members.len()
            );
            let worker = this.clone();
            this.run_operation(title, None, total, |op| async move {
                let report = worker.run_group(&plan, &op).await;
                let status = group_status(&report);
                worker
                    .emit_inventory(InventoryEvent::GroupReport(Box::new(report)))
                    .await;
                status
            })
            .await;
        });
    }

    async fn run_group(&self, plan: &GroupPlan, op: &Operation) -> GroupReport {
        let mut members = Vec::with_capacity(plan.members.len());
        let mut step = 0;
        let mut stopped = false;
        for member in &plan.members {
            let outcome = match &member.step {
                MemberStep::Skip(reason) => MemberOutcome::Skipped(reason.clone()),
                MemberStep::Create(_) if stopped || op.cancel.is_cancelled() => {
                    stopped = true;
                    MemberOutcome::NotRun
                }
                MemberStep::Create(p) => {
                    let result = self.create_member(p, op, step).await;
                    step += 1;
                    self.reload_after_creation(p);
                    match result {
                        Ok(point) => MemberOutcome::Created {
                            at: point
                                .properties
                                .time_created
                                .unwrap_or_else(|| Timestamp::from_unix_secs(now_unix())),
                            point_id: point.id,
                        },
                        Err(ArmError::Cancelled) => {
                            stopped = true;
                            MemberOutcome::NotRun
                        }
                        Err(e) => MemberOutcome::Failed(error_info(&e)),
                    }
                }
            };
            members.push(GroupOutcome {
                vm_id: member.vm_id.clone(),
                outcome,
            });
        }
        for p in plan.creations() {
            self.emit_inventory(InventoryEvent::CreationDone {
                vm_id: p.vm_id.clone(),
            })
            .await;
        }
        GroupReport {
            group: plan.group.clone(),
            mode: plan.mode,
            point_name: plan.point_name.clone(),
            members,
        }
    }

    /// One member's point: its collection first when it has none, then the point.
    async fn create_member(
        &self,
        plan: &CreatePointPlan,
        op: &Operation,
        step: usize,
    ) -> Result<RestorePoint, ArmError> {
        let point_id = plan.point_id().ok_or_else(|| {
            ArmError::InvalidRequest(format!(
                "'{}' is not a valid restore point name",
                plan.point_name
            ))
        })?;
        if plan.create_collection {
            let job = PointJob::Create(plan.clone());
            self.create_collection(&job, op, step).await?;
        }
        self.run_creation(plan, &point_id, op, step).await
    }

    fn reload_after_creation(&self, plan: &CreatePointPlan) {
        if plan.create_collection {
            self.load_subscription(plan.vm_id.subscription_id().to_owned());
        } else {
            self.load_points(plan.collection_id.clone());
        }
    }
}

/// Succeeded when every planned point was made, Cancelled when stopped, else Failed with
/// the members that failed.
fn group_status(report: &GroupReport) -> ActivityStatus {
    let failed: Vec<String> = report
        .members
        .iter()
        .filter_map(|m| match &m.outcome {
            MemberOutcome::Failed(e) => Some(format!("{}: {}", m.vm_id.name(), e.message)),
            _ => None,
        })
        .collect();
    if !failed.is_empty() {
        return ActivityStatus::Failed(ErrorInfo {
            message: format!(
                "{} of {} points failed — {}",
                failed.len(),
                report.members.len(),
                failed.join("; ")
            ),
            ..Default::default()
        });
    }
    if report
        .members
        .iter()
        .any(|m| m.outcome == MemberOutcome::NotRun)
    {
        return ActivityStatus::Cancelled;
    }
    ActivityStatus::Succeeded
}
