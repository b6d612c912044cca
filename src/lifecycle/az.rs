//! The Azure CLI commands equivalent to a delete, one per ARM call: `az restore-point
//! delete` and `az restore-point collection delete` (with `--yes`: both ask otherwise),
//! and `az rest` for `endGetAccess`, which the CLI has no disk restore point command for
//! (`az disk revoke-access` is for managed disks). Every command names its subscription:
//! the CLI's default one may be another.
//!
//! The named commands send the CLI's own api-version of the Compute RP; a DELETE has no
//! body, so what it does is the same. `az rest` lines carry the exact api-version.

use super::delete::DeletePlan;
use crate::model::{ArmCall, CallMethod, ResourceId};
use crate::restore::az::{arg, rest};

/// One command and the call it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct AzLine {
    pub call: ArmCall,
    pub text: String,
}

/// Every command of a delete, in the order of its calls.
pub fn delete_commands(plan: &DeletePlan) -> Vec<AzLine> {
    plan.calls()
        .into_iter()
        .map(|call| AzLine {
            text: command(&call),
            call,
        })
        .collect()
}

/// The command that mirrors labels into a collection's tags: rpdesk's PATCH with the whole
/// tag set, as `az rest` (the CLI's tag commands merge, so stale label tags would stay).
pub fn mirror_command(
    collection_id: &ResourceId,
    tags: &std::collections::BTreeMap<String, String>,
) -> AzLine {
    let call = crate::model::tags_call(collection_id, crate::model::api_versions::COMPUTE, tags);
    AzLine {
        text: rest(&call),
        call,
    }
}

/// The command for one call: a named one where the CLI has it, else `az rest`.
fn command(call: &ArmCall) -> String {
    let id = (call.method == CallMethod::Delete)
        .then(|| ResourceId::parse(&call.path).ok())
        .flatten();
    let Some(id) = id else {
        return rest(call);
    };
    let rg = id.resource_group().unwrap_or_default();
    let sub = id.subscription_id();
    if id.kind().eq_ignore_ascii_case("restorePoints") {
        let collection = id.value_of("restorePointCollections").unwrap_or_default();
        [
            "az restore-point delete".to_owned(),
            arg("--subscription", sub),
            arg("--resource-group", rg),
            arg("--collection-name", collection),
            arg("--name", id.name()),
            "--yes".to_owned(),
        ]
        .join(" ")
    } else if id.kind().eq_ignore_ascii_case("restorePointCollections") {
        [
            "az restore-point collection delete".to_owned(),
            arg("--subscription", sub),
            arg("--resource-group", rg),
            arg("--collection-name", id.name()),
            "--yes".to_owned(),
        ]
        .join(" ")
    } else {
        rest(call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::DeleteTarget;
    use crate::model::api_versions;
    use crate::restore::az::split_shell;

    const RPC: &str = "/subscriptions/6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01/resourceGroups/rg-sql-prod/providers/Microsoft.Compute/restorePointCollections/sql-prod-01-rpc";

    /// flag → its value (the word after it), and the bare words before the first flag.
    fn parse(text: &str) -> (Vec<String>, Vec<(String, Option<String>)>) {
        let words = split_shell(text).expect("valid shell");
        let head: Vec<String> = words
            .iter()
            .take_while(|w| !w.starts_with("--"))
            .cloned()
            .collect();
        let mut flags = Vec::new();
        let mut rest = words[head.len()..].iter().peekable();
        while let Some(flag) = rest.next() {
            let value = match rest.peek() {
                Some(v) if !v.starts_with("--") => rest.next().cloned(),
                _ => None,
            };
            flags.push((flag.clone(), value));
        }
        (head, flags)
    }

    fn flag<'a>(flags: &'a [(String, Option<String>)], name: &str) -> Option<&'a str> {
        flags
            .iter()
            .find(|(f, _)| f == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// The method, path and api-version a command sends, read back from its words alone.
    fn sent(text: &str) -> (CallMethod, String, Option<String>) {
        let (head, flags) = parse(text);
        let path_of = |collection: &str| {
            format!(
                "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/restorePointCollections/{collection}",
                flag(&flags, "--subscription").expect("--subscription"),
                flag(&flags, "--resource-group").expect("--resource-group"),
            )
        };
        match head.join(" ").as_str() {
            "az rest" => {
                let method = match flag(&flags, "--method").expect("--method") {
                    "post" => CallMethod::Post,
                    "delete" => CallMethod::Delete,
                    "put" => CallMethod::Put,
                    "patch" => CallMethod::Patch,
                    other => panic!("method {other}"),
                };
                let url = flag(&flags, "--url").expect("--url");
                let (path, query) = url.split_once('?').expect("a query");
                let version = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("api-version="))
                    .map(str::to_owned);
                (method, path.to_owned(), version)
            }
            "az restore-point delete" => {
                assert!(flags.iter().any(|(f, _)| f == "--yes"), "{text}");
                let c = flag(&flags, "--collection-name").expect("--collection-name");
                let name = flag(&flags, "--name").expect("--name");
                (
                    CallMethod::Delete,
                    format!("{}/restorePoints/{name}", path_of(c)),
                    None,
                )
            }
            "az restore-point collection delete" => {
                assert!(flags.iter().any(|(f, _)| f == "--yes"), "{text}");
                let c = flag(&flags, "--collection-name").expect("--collection-name");
                (CallMethod::Delete, path_of(c), None)
            }
            other => panic!("unexpected command {other:?}"),
        }
    }

    #[test]
    fn each_delete_command_sends_the_call_it_stands_for() {
        let rpc = ResourceId::parse(RPC).expect("id");
        let point = rpc.child("restorePoints", "rp-001-app");
        let drps = vec![
            point.child("diskRestorePoints", "sql-prod-01-os_0f1e"),
            point.child("diskRestorePoints", "sql-prod-01-data-00_9a'b"),
        ];
        let plans = [
            DeletePlan::new(DeleteTarget::Point(point.clone())),
            DeletePlan::new(DeleteTarget::Collection(rpc.clone())),
            DeletePlan::revoking_first(DeleteTarget::Point(point.clone()), drps.clone()),
            DeletePlan::revoking_first(DeleteTarget::Collection(rpc), drps),
        ];
        for plan in plans {
            let lines = delete_commands(&plan);
            assert_eq!(lines.len(), plan.calls().len(), "one command per call");
            for (line, call) in lines.iter().zip(plan.calls()) {
                assert_eq!(line.call, call);
                let (method, path, version) = sent(&line.text);
                assert_eq!(method, call.method, "{}", line.text);
                assert_eq!(path, call.path, "{}", line.text);
                match version {
                    // `az rest` carries the exact version.
                    Some(v) => assert_eq!(v, call.api_version, "{}", line.text),
                    // The named commands are the Compute RP's: the CLI sends its own
                    // version of it; the call must be a Compute RP one too.
                    None => assert_eq!(call.api_version, api_versions::COMPUTE),
                }
                if call.method == CallMethod::Post {
                    assert!(call.path.ends_with("/endGetAccess"));
                    assert_eq!(call.api_version, api_versions::DISKS, "Disk RP family");
                    assert!(line.text.starts_with("az rest --method post"));
                }
            }
        }
    }

    #[test]
    fn the_mirror_command_sends_the_whole_tag_set_rpdesk_patches() {
        let rpc = ResourceId::parse(RPC).expect("id");
        let tags: std::collections::BTreeMap<String, String> = [
            ("env".to_owned(), "prod".to_owned()),
            (
                "rpdesk-label-rp-001-app".to_owned(),
                "ticket=CHG-1 'quoted'; pinned".to_owned(),
            ),
        ]
        .into();
        let line = mirror_command(&rpc, &tags);
        let (method, path, version) = sent(&line.text);
        assert_eq!(method, CallMethod::Patch);
        assert_eq!(path, rpc.as_str());
        assert_eq!(version.as_deref(), Some(api_versions::COMPUTE));
        let (_, flags) = parse(&line.text);
        let body: serde_json::Value =
            serde_json::from_str(flag(&flags, "--body").expect("--body")).expect("JSON body");
        assert_eq!(Some(&body), line.call.body.as_ref());
        assert_eq!(
            body,
            serde_json::json!({ "tags": tags }),
            "every tag, replaced whole"
        );
    }
}
