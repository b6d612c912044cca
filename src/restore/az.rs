//! The Azure CLI commands equivalent to a plan, valid and copy-pastable: `az disk create`
//! for a restore (the CLI recognises a disk restore point as the source), `az network nic
//! create`, `az vm deallocate|start`, `az restore-point`, and `az rest` with the exact body
//! for the VM writes no other command sends as they are.

use super::plan::{Plan, Step, StepKind};
use crate::model::{ArmCall, ResourceId};

/// One command and the step it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct AzCommand {
    pub step: usize,
    pub text: String,
}

/// Every command of the plan, in order.
pub fn commands(plan: &Plan) -> Vec<AzCommand> {
    plan.steps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            step_commands(s)
                .into_iter()
                .map(move |text| AzCommand { step: i, text })
        })
        .collect()
}

/// The commands of one step.
pub fn step_commands(step: &Step) -> Vec<String> {
    match &step.kind {
        StepKind::RestoreDisk { request, .. } => {
            let id = &request.disk_id;
            let mut cmd = vec![
                "az disk create".to_owned(),
                arg("--resource-group", id.resource_group().unwrap_or_default()),
                arg("--name", id.name()),
                arg("--location", &request.location),
                arg("--source", request.source_disk_restore_point.as_str()),
            ];
            if let Some(sku) = &request.sku {
                cmd.push(arg("--sku", sku.as_str()));
            }
            if let Some(size) = request.size_gb {
                cmd.push(arg("--size-gb", &size.to_string()));
            }
            if let Some(zone) = request.zones.first() {
                cmd.push(arg("--zone", zone));
            }
            if let Some(des) = &request.disk_encryption_set_id {
                cmd.push(arg("--disk-encryption-set", des));
                cmd.push(arg("--encryption-type", "EncryptionAtRestWithCustomerKey"));
            }
            push_tags(&mut cmd, &request.tags);
            vec![cmd.join(" ")]
        }
        StepKind::CreateNic(nic) => {
            let id = &nic.nic_id;
            let mut cmd = vec![
                "az network nic create".to_owned(),
                arg("--resource-group", id.resource_group().unwrap_or_default()),
                arg("--name", id.name()),
                arg("--location", &nic.location),
                arg("--subnet", nic.subnet_id.as_str()),
            ];
            push_tags(&mut cmd, &nic.tags);
            vec![cmd.join(" ")]
        }
        StepKind::Deallocate { vm_id } => vec![vm_action("deallocate", vm_id)],
        StepKind::Start { vm_id } => vec![vm_action("start", vm_id)],
        StepKind::SafetyPoint(sp) => {
            let mut out = Vec::new();
            let rg = sp.collection_id.resource_group().unwrap_or_default();
            if sp.create_collection {
                out.push(
                    [
                        "az restore-point collection create".to_owned(),
                        arg("--resource-group", rg),
                        arg("--collection-name", sp.collection_id.name()),
                        arg("--location", &sp.location),
                        arg("--source-id", sp.vm_id.as_str()),
                    ]
                    .join(" "),
                );
            }
            let mut cmd = vec![
                "az restore-point create".to_owned(),
                arg("--resource-group", rg),
                arg("--collection-name", sp.collection_id.name()),
                arg("--name", &sp.point_name),
                arg("--consistency-mode", sp.mode.as_str()),
            ];
            if !sp.exclude_disks.is_empty() {
                cmd.push("--exclude-disks".to_owned());
                cmd.extend(sp.exclude_disks.iter().map(|d| quote(d.as_str())));
            }
            out.push(cmd.join(" "));
            out
        }
        _ => step.calls.iter().map(rest).collect(),
    }
}

/// `az rest` commands sending exactly `calls`, in order (a creation's or a copy's, whose
/// bodies no other `az` command sends as they are).
pub fn rest_commands(calls: &[ArmCall]) -> Vec<String> {
    calls.iter().map(rest).collect()
}

/// `az rest` sending exactly `call`.
pub fn rest(call: &ArmCall) -> String {
    let mut cmd = vec![
        "az rest".to_owned(),
        arg("--method", &call.method.as_str().to_ascii_lowercase()),
        arg("--url", &call.path_and_query()),
    ];
    if call.create_only {
        cmd.push(arg("--headers", "If-None-Match=*"));
    }
    if let Some(body) = &call.body {
        cmd.push(arg("--body", &body.to_string()));
    }
    cmd.join(" ")
}

fn vm_action(action: &str, vm_id: &ResourceId) -> String {
    format!("az vm {action} {}", arg("--ids", vm_id.as_str()))
}

fn push_tags(cmd: &mut Vec<String>, tags: &std::collections::BTreeMap<String, String>) {
    if tags.is_empty() {
        return;
    }
    cmd.push("--tags".to_owned());
    cmd.extend(tags.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
}

fn arg(flag: &str, value: &str) -> String {
    format!("{flag} {}", quote(value))
}

/// POSIX shell quoting: bare when safe, else in single quotes.
pub fn quote(value: &str) -> String {
    let safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c));
    if safe {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// Splits a command line as a POSIX shell would (single quotes and `'\''`, no variables):
/// how the tests check that a command carries exactly the plan's values.
pub fn split_shell(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(q) => current.push(q),
                        None => return Err("unterminated quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips_through_a_shell_split() {
        for value in ["plain", "it's", "{\"a\":[1,2]}", "a b", "", "x=*"] {
            let words = split_shell(&format!("cmd {}", quote(value))).expect("splits");
            assert_eq!(words, vec!["cmd".to_owned(), value.to_owned()], "{value:?}");
        }
    }
}
