//! Path → route resolution (case-insensitive segment keys, names kept as sent), the
//! api-version family of each route, and the list paging shared by all list routes.

mod collections;
pub mod disks;
mod network;
mod operations;
mod points;
pub mod prices;
pub mod resources;
pub mod vms;

use axum::http::Method;
use base64::Engine;
use serde_json::{Value, json};

use super::errors::{ArmError, ArmResult};
use super::server::{Ctx, Reply, Req};

/// Which api-version family a path belongs to (disk restore points are the Disk RP's,
/// although they live under a restore point's path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Subscriptions,
    Resources,
    Compute,
    Disk,
    /// Async operation status, polled with either Compute or Disk versions.
    Operations,
    Network,
}

impl Family {
    pub fn min_api_version(self) -> &'static str {
        match self {
            Family::Subscriptions => "2022-12-01",
            Family::Resources => "2021-04-01",
            Family::Compute => "2025-04-01",
            Family::Disk | Family::Operations => "2025-01-02",
            Family::Network => "2023-09-01",
        }
    }
}

/// Names below are as sent by the client.
#[derive(Debug)]
pub enum Route {
    Subscriptions,
    Subscription(String),
    Groups(String),
    Group(String, String),
    Operation(String, String, String),
    VmsAll(String),
    VmsByLocation(String, String),
    Vms(String, String),
    Vm(String, String, String),
    ScaleSet(String, String, String),
    VmAction(String, String, String, String),
    DisksAll(String),
    Disks(String, String),
    Disk(String, String, String),
    DiskAction(String, String, String, String),
    CollectionsAll(String),
    Collections(String, String),
    Collection(String, String, String),
    Point(String, String, String, String),
    DiskPoints(String, String, String, String),
    DiskPoint(String, String, String, String, String),
    DiskPointAction(String, String, String, String, String, String),
    NetworkAll(String, String),
    NetworkList(String, String, String),
    Vnet(String, String, String),
    Subnets(String, String, String),
    Subnet(String, String, String, String),
    Nic(String, String, String),
}

impl Route {
    pub fn family(&self) -> Family {
        use Route::*;
        match self {
            Subscriptions | Subscription(_) => Family::Subscriptions,
            Groups(_) | Group(..) => Family::Resources,
            Operation(..) => Family::Operations,
            VmsAll(_) | VmsByLocation(..) | Vms(..) | Vm(..) | VmAction(..) | ScaleSet(..) => {
                Family::Compute
            }
            CollectionsAll(_) | Collections(..) | Collection(..) | Point(..) => Family::Compute,
            DisksAll(_) | Disks(..) | Disk(..) | DiskAction(..) => Family::Disk,
            DiskPoints(..) | DiskPoint(..) | DiskPointAction(..) => Family::Disk,
            NetworkAll(..) | NetworkList(..) | Vnet(..) | Subnets(..) | Subnet(..) | Nic(..) => {
                Family::Network
            }
        }
    }
}

pub fn resolve(req: &Req) -> ArmResult<Route> {
    let s = &req.segs;
    let lower: Vec<String> = s.iter().map(|x| x.to_ascii_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    let n = |i: usize| s[i].clone();
    let route = match l.as_slice() {
        ["subscriptions"] => Route::Subscriptions,
        ["subscriptions", _] => Route::Subscription(n(1)),
        ["subscriptions", _, "resourcegroups"] => Route::Groups(n(1)),
        ["subscriptions", _, "resourcegroups", _] => Route::Group(n(1), n(3)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "locations",
            _,
            "operations",
            _,
        ] => Route::Operation(n(1), n(5), n(7)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "locations",
            _,
            "virtualmachines",
        ] => Route::VmsByLocation(n(1), n(5)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "virtualmachines",
        ] => Route::VmsAll(n(1)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "disks",
        ] => Route::DisksAll(n(1)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "restorepointcollections",
        ] => Route::CollectionsAll(n(1)),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.network",
            kind @ ("virtualnetworks" | "networkinterfaces"),
        ] => Route::NetworkAll(n(1), (*kind).to_owned()),
        [
            "subscriptions",
            _,
            "resourcegroups",
            _,
            "providers",
            ns,
            rest @ ..,
        ] => resolve_group_scoped(n(1), n(3), ns, rest, &s[6..])?,
        _ => return Err(ArmError::no_route(&req.path)),
    };
    Ok(route)
}

fn resolve_group_scoped(
    sub: String,
    rg: String,
    ns: &str,
    l: &[&str],
    s: &[String],
) -> ArmResult<Route> {
    let n = |i: usize| s[i].clone();
    let not_found = || {
        ArmError::new(
            axum::http::StatusCode::NOT_FOUND,
            "InvalidResourceType",
            format!(
                "The resource type '{}' could not be found in the namespace '{ns}'.",
                l.first().copied().unwrap_or_default()
            ),
        )
    };
    let (sub, rg) = (sub, rg);
    Ok(match (ns, l) {
        ("microsoft.compute", ["virtualmachines"]) => Route::Vms(sub, rg),
        ("microsoft.compute", ["virtualmachines", _]) => Route::Vm(sub, rg, n(1)),
        ("microsoft.compute", ["virtualmachines", _, action]) => {
            Route::VmAction(sub, rg, n(1), (*action).to_owned())
        }
        ("microsoft.compute", ["virtualmachinescalesets", _]) => Route::ScaleSet(sub, rg, n(1)),
        ("microsoft.compute", ["disks"]) => Route::Disks(sub, rg),
        ("microsoft.compute", ["disks", _]) => Route::Disk(sub, rg, n(1)),
        ("microsoft.compute", ["disks", _, action]) => {
            Route::DiskAction(sub, rg, n(1), (*action).to_owned())
        }
        ("microsoft.compute", ["restorepointcollections"]) => Route::Collections(sub, rg),
        ("microsoft.compute", ["restorepointcollections", _]) => Route::Collection(sub, rg, n(1)),
        ("microsoft.compute", ["restorepointcollections", _, "restorepoints", _]) => {
            Route::Point(sub, rg, n(1), n(3))
        }
        (
            "microsoft.compute",
            [
                "restorepointcollections",
                _,
                "restorepoints",
                _,
                "diskrestorepoints",
            ],
        ) => Route::DiskPoints(sub, rg, n(1), n(3)),
        (
            "microsoft.compute",
            [
                "restorepointcollections",
                _,
                "restorepoints",
                _,
                "diskrestorepoints",
                _,
            ],
        ) => Route::DiskPoint(sub, rg, n(1), n(3), n(5)),
        (
            "microsoft.compute",
            [
                "restorepointcollections",
                _,
                "restorepoints",
                _,
                "diskrestorepoints",
                _,
                action,
            ],
        ) => Route::DiskPointAction(sub, rg, n(1), n(3), n(5), (*action).to_owned()),
        ("microsoft.network", [kind @ ("virtualnetworks" | "networkinterfaces")]) => {
            Route::NetworkList(sub, rg, (*kind).to_owned())
        }
        ("microsoft.network", ["virtualnetworks", _]) => Route::Vnet(sub, rg, n(1)),
        ("microsoft.network", ["virtualnetworks", _, "subnets"]) => Route::Subnets(sub, rg, n(1)),
        ("microsoft.network", ["virtualnetworks", _, "subnets", _]) => {
            Route::Subnet(sub, rg, n(1), n(3))
        }
        ("microsoft.network", ["networkinterfaces", _]) => Route::Nic(sub, rg, n(1)),
        _ => return Err(not_found()),
    })
}

pub fn run(ctx: &mut Ctx<'_>, route: &Route, req: &Req) -> ArmResult<Reply> {
    use Route::*;
    let m = &req.method;
    match route {
        Subscriptions => get_only(m, || resources::list_subscriptions(ctx, req)),
        Subscription(sub) => get_only(m, || resources::get_subscription(ctx, sub)),
        Groups(sub) => get_only(m, || resources::list_groups(ctx, req, sub)),
        Group(sub, rg) => resources::group(ctx, req, sub, rg),
        Operation(sub, _loc, id) => get_only(m, || operations::get(ctx, req, sub, id)),
        VmsAll(sub) => get_only(m, || vms::list(ctx, req, sub, None, None)),
        VmsByLocation(sub, loc) => get_only(m, || vms::list(ctx, req, sub, None, Some(loc))),
        Vms(sub, rg) => get_only(m, || vms::list(ctx, req, sub, Some(rg), None)),
        Vm(sub, rg, name) => vms::vm(ctx, req, sub, rg, name),
        VmAction(sub, rg, name, action) => vms::action(ctx, req, sub, rg, name, action),
        ScaleSet(sub, rg, name) => get_only(m, || vms::scale_set(ctx, sub, rg, name)),
        DisksAll(sub) => get_only(m, || disks::list(ctx, req, sub, None)),
        Disks(sub, rg) => get_only(m, || disks::list(ctx, req, sub, Some(rg))),
        Disk(sub, rg, name) => disks::disk(ctx, req, sub, rg, name),
        DiskAction(sub, rg, name, action) => disks::action(ctx, req, sub, rg, name, action),
        CollectionsAll(sub) => get_only(m, || collections::list(ctx, req, sub, None)),
        Collections(sub, rg) => get_only(m, || collections::list(ctx, req, sub, Some(rg))),
        Collection(sub, rg, name) => collections::collection(ctx, req, sub, rg, name),
        Point(sub, rg, rpc, rp) => points::point(ctx, req, sub, rg, rpc, rp),
        DiskPoints(sub, rg, rpc, rp) => {
            get_only(m, || points::list_disk_points(ctx, req, sub, rg, rpc, rp))
        }
        DiskPoint(sub, rg, rpc, rp, drp) => {
            get_only(m, || points::get_disk_point(ctx, sub, rg, rpc, rp, drp))
        }
        DiskPointAction(sub, rg, rpc, rp, drp, action) => {
            points::disk_point_action(ctx, req, sub, rg, rpc, rp, drp, action)
        }
        NetworkAll(sub, kind) => get_only(m, || network::list(ctx, req, sub, None, kind)),
        NetworkList(sub, rg, kind) => get_only(m, || network::list(ctx, req, sub, Some(rg), kind)),
        Vnet(sub, rg, name) => network::vnet(ctx, req, sub, rg, name),
        Subnets(sub, rg, vnet) => get_only(m, || network::list_subnets(ctx, req, sub, rg, vnet)),
        Subnet(sub, rg, vnet, name) => network::subnet(ctx, req, sub, rg, vnet, name),
        Nic(sub, rg, name) => network::nic(ctx, req, sub, rg, name),
    }
}

fn get_only(m: &Method, f: impl FnOnce() -> ArmResult<Reply>) -> ArmResult<Reply> {
    if m == Method::GET {
        f()
    } else {
        Err(ArmError::method_not_allowed())
    }
}

/// Checks that the subscription and (optionally) resource group exist.
pub fn require_scope(ctx: &Ctx<'_>, sub: &str, rg: Option<&str>) -> ArmResult<()> {
    if !ctx.estate.has_sub(sub) {
        return Err(ArmError::subscription_not_found(sub));
    }
    if let Some(rg) = rg
        && !ctx
            .estate
            .groups
            .contains_key(&super::state::Estate::rg_key(sub, rg))
    {
        return Err(ArmError::group_not_found(rg));
    }
    Ok(())
}

const SKIP_PREFIX: &str = "rpdesk-emulator:";

/// One page of `items`, with an absolute `nextLink` carrying an opaque `$skiptoken`.
pub fn page<T>(
    ctx: &Ctx<'_>,
    req: &Req,
    items: &[T],
    render: impl Fn(&T) -> Value,
) -> ArmResult<Reply> {
    let offset = match req.q("$skiptoken") {
        None => 0,
        Some(tok) => decode_skip(tok).ok_or_else(|| {
            ArmError::bad_request(
                "InvalidSkipToken",
                "The $skiptoken is invalid or has expired.",
            )
        })?,
    };
    let top = req
        .q("$top")
        .and_then(|t| t.parse::<usize>().ok())
        .filter(|t| *t > 0);
    let size = top.map_or(ctx.page_size, |t| t.min(ctx.page_size));
    let end = offset.saturating_add(size).min(items.len());
    let slice = items.get(offset.min(items.len())..end).unwrap_or(&[]);
    let value: Vec<Value> = slice.iter().map(render).collect();
    let mut body = json!({ "value": value });
    if end < items.len() {
        let mut url = url::Url::parse(&format!("{}{}", ctx.base_url, req.path))
            .map_err(|e| ArmError::internal(format!("cannot build nextLink: {e}")))?;
        {
            let mut qp = url.query_pairs_mut();
            for (k, v) in &req.query {
                if !k.eq_ignore_ascii_case("$skiptoken") {
                    qp.append_pair(k, v);
                }
            }
            qp.append_pair("$skiptoken", &encode_skip(end));
        }
        body["nextLink"] = json!(url.to_string());
    }
    Ok(Reply::ok(body))
}

fn encode_skip(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{SKIP_PREFIX}{offset}"))
}

fn decode_skip(tok: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tok.trim_end_matches('='))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.strip_prefix(SKIP_PREFIX)?.parse().ok()
}

/// Lower-case prefix of every id inside a subscription (or group).
pub fn scope_prefix(sub: &str, rg: Option<&str>) -> String {
    match rg {
        Some(rg) => format!("/subscriptions/{sub}/resourcegroups/{rg}/").to_ascii_lowercase(),
        None => format!("/subscriptions/{sub}/").to_ascii_lowercase(),
    }
}

/// Tags from a request body (`tags` object of strings); anything else is a 400.
pub fn parse_tags(body: &Value) -> ArmResult<Option<super::state::Tags>> {
    match body.get("tags") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => {
            let mut tags = super::state::Tags::new();
            for (k, v) in m {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                tags.insert(k.clone(), v);
            }
            Ok(Some(tags))
        }
        Some(_) => Err(ArmError::invalid_body(
            "'tags' must be an object of strings.",
        )),
    }
}

/// Normalises a region display name (`West US 2`) to its ARM name (`westus2`).
pub fn norm_location(loc: &str) -> String {
    loc.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_tokens_round_trip_and_reject_garbage() {
        assert_eq!(decode_skip(&encode_skip(40)), Some(40));
        assert_eq!(decode_skip("40"), None);
        assert_eq!(decode_skip("%%%"), None);
    }
}
