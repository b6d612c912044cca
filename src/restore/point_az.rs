//! The Azure CLI commands equivalent to restore point creations and cross-region copies
//! (`az restore-point collection create`, `az restore-point create`), one per ARM call
//! the plan sends ([`CreatePointPlan::calls`], [`CopyPointPlan::calls`]), in the same
//! order: the tests check each command against its call.

use super::az::{arg, quote};
use crate::inventory::{CopyPointPlan, CreatePointPlan};
use crate::model::{CollectionRequest, ResourceId};

/// `az restore-point collection create` for a collection PUT.
pub fn collection_create(request: &CollectionRequest) -> String {
    let id = &request.collection_id;
    let mut cmd = vec![
        "az restore-point collection create".to_owned(),
        arg("--resource-group", id.resource_group().unwrap_or_default()),
        arg("--collection-name", id.name()),
        arg("--location", &request.location),
        arg("--source-id", request.source_id.as_str()),
    ];
    if !request.tags.is_empty() {
        cmd.push("--tags".to_owned());
        cmd.extend(request.tags.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
    }
    cmd.join(" ")
}

/// The start of `az restore-point create` for `point_id`.
fn point_create(point_id: &ResourceId) -> Vec<String> {
    let collection = point_id.parent();
    vec![
        "az restore-point create".to_owned(),
        arg(
            "--resource-group",
            point_id.resource_group().unwrap_or_default(),
        ),
        arg(
            "--collection-name",
            collection.as_ref().map(|c| c.name()).unwrap_or_default(),
        ),
        arg("--name", point_id.name()),
    ]
}

/// The collection's command when there is one, then the point's: `point_create` for
/// `point_id` with the arguments `args` adds.
fn commands(
    collection: Option<CollectionRequest>,
    point_id: Option<ResourceId>,
    args: impl FnOnce(&mut Vec<String>),
) -> Vec<String> {
    let mut out: Vec<String> = collection.iter().map(collection_create).collect();
    if let Some(point_id) = point_id {
        let mut cmd = point_create(&point_id);
        args(&mut cmd);
        out.push(cmd.join(" "));
    }
    out
}

/// The commands of a creation: its collection first when the plan creates it.
pub fn create_commands(plan: &CreatePointPlan) -> Vec<String> {
    commands(plan.collection_request(), plan.point_id(), |cmd| {
        cmd.push(arg(
            "--consistency-mode",
            plan.mode.to_consistency().as_str(),
        ));
        if !plan.exclude_disks.is_empty() {
            cmd.push("--exclude-disks".to_owned());
            cmd.extend(plan.exclude_disks.iter().map(|d| quote(d.as_str())));
        }
        if let Some(minutes) = plan.instant_access_minutes {
            cmd.push(arg(
                "--instant-access-duration-minutes",
                &minutes.to_string(),
            ));
        }
    })
}

/// The commands of a copy: its target collection first when the plan creates it.
pub fn copy_commands(plan: &CopyPointPlan) -> Vec<String> {
    commands(plan.collection_request(), plan.point_id(), |cmd| {
        cmd.push(arg("--source-restore-point", plan.source_point_id.as_str()));
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::az::split_shell;
    use super::*;
    use crate::model::ArmCall;
    use crate::rules::Mode;

    const SUB: &str = "/subscriptions/s/resourceGroups/rg-web/providers/Microsoft.Compute";

    fn id(text: &str) -> ResourceId {
        ResourceId::parse(text).expect("valid id")
    }

    /// The values after `flag` up to the next flag.
    fn flag<'a>(words: &'a [String], flag: &str) -> Option<&'a [String]> {
        let at = words.iter().position(|w| w == flag)?;
        let rest = &words[at + 1..];
        let end = rest
            .iter()
            .position(|w| w.starts_with("--"))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    }

    fn one<'a>(words: &'a [String], name: &str) -> &'a str {
        flag(words, name)
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{name} in {words:?}"))
    }

    /// Checks each command against the call it stands for: the resource it names, and
    /// every value of the body.
    fn check(commands: &[String], calls: &[ArmCall]) {
        assert_eq!(commands.len(), calls.len(), "{commands:?}");
        for (text, call) in commands.iter().zip(calls) {
            let words = split_shell(text).expect("shell words");
            let body: &Value = call.body.as_ref().expect("a PUT body");
            assert_eq!(call.method.as_str(), "PUT");
            let target = id(&call.path);
            assert_eq!(
                one(&words, "--resource-group"),
                target.resource_group().expect("rg")
            );
            if words[..4] == ["az", "restore-point", "collection", "create"] {
                assert_eq!(one(&words, "--collection-name"), target.name());
                assert_eq!(one(&words, "--location"), body["location"]);
                assert_eq!(
                    one(&words, "--source-id"),
                    body["properties"]["source"]["id"]
                );
                let tags: Vec<String> = body["tags"]
                    .as_object()
                    .map(|t| {
                        t.iter()
                            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                            .collect()
                    })
                    .unwrap_or_default();
                assert_eq!(
                    flag(&words, "--tags")
                        .map(<[String]>::to_vec)
                        .unwrap_or_default(),
                    tags
                );
                continue;
            }
            assert_eq!(words[..3], ["az", "restore-point", "create"], "{text}");
            let collection = target.parent().expect("collection");
            assert_eq!(one(&words, "--collection-name"), collection.name());
            assert_eq!(one(&words, "--name"), target.name());
            let p = &body["properties"];
            assert_eq!(
                flag(&words, "--source-restore-point")
                    .and_then(|v| v.first())
                    .map(String::as_str),
                p["sourceRestorePoint"]["id"].as_str()
            );
            assert_eq!(
                flag(&words, "--consistency-mode")
                    .and_then(|v| v.first())
                    .map(String::as_str),
                p["consistencyMode"].as_str()
            );
            let excluded: Vec<String> = p["excludeDisks"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .map(|e| e["id"].as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(
                flag(&words, "--exclude-disks")
                    .map(<[String]>::to_vec)
                    .unwrap_or_default(),
                excluded
            );
            assert_eq!(
                flag(&words, "--instant-access-duration-minutes")
                    .and_then(|v| v.first())
                    .map(|m| json!(m.parse::<i64>().expect("minutes"))),
                p.get("instantAccessDurationMinutes").cloned()
            );
        }
    }

    fn copy_plan(create_collection: bool) -> CopyPointPlan {
        CopyPointPlan {
            source_point_id: id(&format!(
                "{SUB}/restorePointCollections/web-01-rpc/restorePoints/rp-1"
            )),
            source_collection_id: id(&format!("{SUB}/restorePointCollections/web-01-rpc")),
            target_region: "westus".into(),
            target_collection_id: id(&format!("{SUB}/restorePointCollections/web-01-rpc-westus")),
            create_collection,
            point_name: "rp-1-westus".into(),
            not_before: None,
        }
    }

    #[test]
    fn each_copy_command_stands_for_its_call() {
        for create in [true, false] {
            let plan = copy_plan(create);
            let (commands, calls) = (copy_commands(&plan), plan.calls());
            assert_eq!(calls.len(), if create { 2 } else { 1 });
            check(&commands, &calls);
        }
    }

    #[test]
    fn each_creation_command_stands_for_its_call() {
        let vm = id(&format!("{SUB}/virtualMachines/web 01"));
        for (create_collection, exclude, minutes) in [
            (true, vec![id(&format!("{SUB}/disks/web-01-data'0"))], None),
            (false, Vec::new(), Some(120)),
        ] {
            let plan = CreatePointPlan {
                vm_id: vm.clone(),
                location: "eastus".into(),
                collection_id: id(&format!("{SUB}/restorePointCollections/web-01-rpc")),
                create_collection,
                point_name: "rp-20261130-050000".into(),
                mode: Mode::CrashConsistent,
                exclude_disks: exclude,
                instant_access_minutes: minutes,
                not_before: None,
            };
            check(&create_commands(&plan), &plan.calls());
        }
    }
}
