//! Group restore points: Azure makes restore points one VM at a time, so for an
//! availability set or a VMSS Flex scale set rpdesk plans one point per member, each as
//! that VM's own rules allow (a member Azure would refuse is skipped with the reason), and
//! reports what each member got and the time skew between the first and the last point.

use super::{CreatePointPlan, ErrorInfo, Inventory, RegionCounts, default_collection_id};
use crate::model::{ResourceId, Timestamp};
use crate::rules::{self, Mode, Outcome, Verdict};

/// What holds the members together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    AvailabilitySet,
    /// A scale set with Flexible orchestration (Uniform instances cannot have points).
    FlexScaleSet,
}

impl GroupKind {
    /// At the start of a sentence.
    pub fn title(self) -> &'static str {
        match self {
            GroupKind::AvailabilitySet => "Availability set",
            GroupKind::FlexScaleSet => "VMSS Flex scale set",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupKind::AvailabilitySet => "availability set",
            GroupKind::FlexScaleSet => "VMSS Flex scale set",
        }
    }
}

/// An availability set or a Flex scale set and its members, as loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct PointGroup {
    pub kind: GroupKind,
    pub set_id: ResourceId,
    /// Member VMs, by name.
    pub members: Vec<ResourceId>,
}

/// What rpdesk does for one member.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberStep {
    /// Create this point (its collection first when the plan says so).
    Create(Box<CreatePointPlan>),
    /// Azure would refuse the point: why.
    Skip(String),
}

/// One member of a group plan.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupMember {
    pub vm_id: ResourceId,
    pub step: MemberStep,
}

/// A group restore point, settled from each member's assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPlan {
    pub group: PointGroup,
    pub mode: Mode,
    /// Every member's point has this name.
    pub point_name: String,
    /// In the order the points are created.
    pub members: Vec<GroupMember>,
}

impl GroupPlan {
    /// The points to create.
    pub fn creations(&self) -> impl Iterator<Item = &CreatePointPlan> {
        self.members.iter().filter_map(|m| match &m.step {
            MemberStep::Create(p) => Some(p.as_ref()),
            MemberStep::Skip(_) => None,
        })
    }
}

/// What a member got.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberOutcome {
    /// The point, and when Azure says it was taken (`timeCreated`).
    Created {
        point_id: ResourceId,
        at: Timestamp,
    },
    Skipped(String),
    Failed(ErrorInfo),
    /// The run was cancelled or stopped before this member.
    NotRun,
}

/// One member's line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupOutcome {
    pub vm_id: ResourceId,
    pub outcome: MemberOutcome,
}

/// What a group run did.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupReport {
    pub group: PointGroup,
    pub mode: Mode,
    pub point_name: String,
    pub members: Vec<GroupOutcome>,
}

impl GroupReport {
    /// The points created, in order of their time.
    fn created(&self) -> Vec<(&ResourceId, Timestamp)> {
        let mut out: Vec<_> = self
            .members
            .iter()
            .filter_map(|m| match &m.outcome {
                MemberOutcome::Created { at, .. } => Some((&m.vm_id, *at)),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(_, at)| *at);
        out
    }

    /// How many members got their point.
    pub fn created_count(&self) -> usize {
        self.created().len()
    }

    /// Seconds between the first and the last point created (`None` when none was).
    pub fn skew_secs(&self) -> Option<i64> {
        let created = self.created();
        let (first, last) = (created.first()?, created.last()?);
        Some(last.1.unix_secs() - first.1.unix_secs())
    }

    /// The members whose points came first and last.
    pub fn first_and_last(&self) -> Option<(&ResourceId, &ResourceId)> {
        let created = self.created();
        Some((created.first()?.0, created.last()?.0))
    }
}

/// `12 s`, `3 min 04 s`.
pub fn skew_text(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {:02} s", secs / 60, secs % 60)
    }
}

impl Inventory {
    /// The availability set or Flex scale set `vm_id` belongs to, with its loaded members.
    pub fn point_group_of(&self, vm_id: &ResourceId) -> Option<PointGroup> {
        let props = &self.vms.get(vm_id)?.properties;
        let (kind, set) = if let Some(a) = &props.availability_set {
            (GroupKind::AvailabilitySet, ResourceId::parse(&a.id).ok()?)
        } else {
            let set = ResourceId::parse(&props.virtual_machine_scale_set.as_ref()?.id).ok()?;
            let flexible = self
                .scale_set_modes
                .get(&set)
                .is_some_and(|m| m.eq_ignore_ascii_case("Flexible"));
            if !flexible {
                return None;
            }
            (GroupKind::FlexScaleSet, set)
        };
        let mut members: Vec<ResourceId> = self
            .vms_of(set.subscription_id())
            .iter()
            .filter(|id| {
                self.vms.get(*id).is_some_and(|vm| {
                    let p = &vm.properties;
                    let of = match kind {
                        GroupKind::AvailabilitySet => p.availability_set.as_ref(),
                        GroupKind::FlexScaleSet => p.virtual_machine_scale_set.as_ref(),
                    };
                    of.and_then(|s| ResourceId::parse(&s.id).ok()).as_ref() == Some(&set)
                })
            })
            .cloned()
            .collect();
        members.sort_by(|a, b| a.name().cmp(b.name()));
        Some(PointGroup {
            kind,
            set_id: set,
            members,
        })
    }
}

/// Plans a group point in `mode` at `now_unix`: each member assessed by its own rules.
pub fn plan_group(inv: &Inventory, group: &PointGroup, mode: Mode, now_unix: i64) -> GroupPlan {
    let counts = RegionCounts::of(inv);
    let now = Timestamp::from_unix_secs(now_unix);
    let point_name = super::point_name_at(now_unix);
    let members = group
        .members
        .iter()
        .map(|vm_id| GroupMember {
            vm_id: vm_id.clone(),
            step: member_step(inv, &counts, vm_id, mode, now, &point_name),
        })
        .collect();
    GroupPlan {
        group: group.clone(),
        mode,
        point_name,
        members,
    }
}

fn member_step(
    inv: &Inventory,
    counts: &RegionCounts,
    vm_id: &ResourceId,
    mode: Mode,
    now: Timestamp,
    point_name: &str,
) -> MemberStep {
    let Some(source) = inv.facts_source(vm_id, counts) else {
        return MemberStep::Skip("the VM is not loaded".into());
    };
    let facts = source.facts();
    let assessment = rules::assess(&facts, mode, now);
    let refusal = || {
        assessment
            .results
            .iter()
            .find(|r| r.outcome == Outcome::Fail)
            .map(|r| r.reason.clone())
            .unwrap_or_else(|| "Azure refuses the point".into())
    };
    match assessment.verdict {
        Verdict::NotSupported => return MemberStep::Skip(refusal()),
        Verdict::NotYet { until } => {
            return MemberStep::Skip(match until {
                Some(t) => format!("not before {}: {}", t.local_text(), refusal()),
                None => refusal(),
            });
        }
        Verdict::Supported | Verdict::SupportedWithExclusions => {}
    }
    let (collection_id, create_collection) = match facts.target_collection {
        Some(c) => (c.clone(), false),
        None => match default_collection_id(vm_id) {
            Some(c) => (c, true),
            None => return MemberStep::Skip("the VM's id has no resource group".into()),
        },
    };
    if inv
        .points_of(&collection_id)
        .iter()
        .any(|p| p.name().eq_ignore_ascii_case(point_name))
    {
        return MemberStep::Skip(format!(
            "collection {} already holds a point named {point_name}",
            collection_id.name()
        ));
    }
    MemberStep::Create(Box::new(CreatePointPlan {
        vm_id: vm_id.clone(),
        location: source.vm.location.to_string(),
        collection_id,
        create_collection,
        point_name: point_name.to_owned(),
        mode,
        exclude_disks: assessment.exclude_disks.clone(),
        instant_access_minutes: None,
        not_before: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ResourceId {
        ResourceId::parse(text).expect("valid id")
    }

    fn report(times: &[Option<i64>]) -> GroupReport {
        let set =
            id("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/a");
        let members = times
            .iter()
            .enumerate()
            .map(|(i, t)| GroupOutcome {
                vm_id: id(&format!(
                    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm{i}"
                )),
                outcome: match t {
                    Some(secs) => MemberOutcome::Created {
                        point_id: id(&format!(
                            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/vm{i}-rpc/restorePoints/p"
                        )),
                        at: Timestamp::from_unix_secs(*secs),
                    },
                    None => MemberOutcome::Skipped("refused".into()),
                },
            })
            .collect();
        GroupReport {
            group: PointGroup {
                kind: GroupKind::AvailabilitySet,
                set_id: set,
                members: Vec::new(),
            },
            mode: Mode::CrashConsistent,
            point_name: "p".into(),
            members,
        }
    }

    #[test]
    fn the_skew_runs_from_the_first_point_to_the_last_skipped_members_aside() {
        let r = report(&[Some(1_000), None, Some(1_047), Some(1_012)]);
        assert_eq!(r.created_count(), 3);
        assert_eq!(r.skew_secs(), Some(47));
        let (first, last) = r.first_and_last().expect("points");
        assert_eq!((first.name(), last.name()), ("vm0", "vm2"));
        assert_eq!(report(&[None]).skew_secs(), None);
        assert_eq!(report(&[Some(5)]).skew_secs(), Some(0));
        assert_eq!(skew_text(47), "47 s");
        assert_eq!(skew_text(184), "3 min 04 s");
    }
}
