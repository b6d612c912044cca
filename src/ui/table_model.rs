//! The centre table's content for a selection: columns, rows of typed cells. Pure, so
//! it is built once per change and sorted without string parsing.

use std::cmp::Ordering;

use crate::inventory::{Inventory, NodeId, PointEntry};
use crate::model::{ResourceId, RestorePoint, Text};

/// One cell, typed so sorting is right (times as times, sizes as numbers).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Shared text: a table of 100,000 points repeats its collection names and states.
    Text(Text),
    /// Unix seconds; shown as local time and age.
    Time(Option<i64>),
    /// GiB.
    Size(Option<f64>),
    Count(usize),
    Percent(Option<f64>),
}

impl Cell {
    fn cmp(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Text(a), Cell::Text(b)) => a
                .chars()
                .flat_map(char::to_lowercase)
                .cmp(b.chars().flat_map(char::to_lowercase)),
            (Cell::Time(a), Cell::Time(b)) => a.cmp(b),
            (Cell::Size(a), Cell::Size(b)) | (Cell::Percent(a), Cell::Percent(b)) => {
                a.unwrap_or(-1.0).total_cmp(&b.unwrap_or(-1.0))
            }
            (Cell::Count(a), Cell::Count(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

/// A column header.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: &'static str,
    pub width: f32,
}

/// One row: the node it opens and its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub node: NodeId,
    pub cells: Box<[Cell]>,
}

impl TableRow {
    /// Whether `term` (lower case) occurs in one of the row's texts or its resource id,
    /// ignoring ASCII case.
    fn matches(&self, term: &str) -> bool {
        let texts = self.cells.iter().filter_map(|c| match c {
            Cell::Text(t) => Some(t.as_str()),
            _ => None,
        });
        let id = self.node.resource_id().map(ResourceId::as_str);
        texts
            .chain(id)
            .any(|hay| contains_ignore_ascii_case(hay, term))
    }
}

/// `needle` (lower case) in `hay`, ASCII case ignored, without allocating.
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || hay.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
}

/// The table for one selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableModel {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
}

impl TableModel {
    /// Row indices that match `filter` (lower-case), sorted.
    pub fn ordered(&self, filter: &str, sort: super::state::SortOrder) -> Vec<usize> {
        let terms: Vec<&str> = filter.split_whitespace().collect();
        let mut order: Vec<usize> = (0..self.rows.len())
            .filter(|&i| terms.iter().all(|t| self.rows[i].matches(t)))
            .collect();
        if let Some(column) = sort.column.filter(|&c| c < self.columns.len()) {
            order.sort_by(|&a, &b| {
                let o = self.rows[a].cells[column].cmp(&self.rows[b].cells[column]);
                if sort.descending { o.reverse() } else { o }
            });
        }
        order
    }
}

fn col(title: &'static str, width: f32) -> Column {
    Column { title, width }
}

fn row(node: NodeId, cells: Vec<Cell>) -> TableRow {
    TableRow {
        node,
        cells: cells.into_boxed_slice(),
    }
}

impl Cell {
    fn text(s: impl Into<Text>) -> Cell {
        Cell::Text(s.into())
    }
}

/// Builds the table for `selection` (`None`: the root).
pub fn build(
    inv: &Inventory,
    selection: Option<&NodeId>,
    all_points: bool,
    group_by_rg: bool,
) -> TableModel {
    // Equal texts across rows (collection names, states, point names) share one string.
    crate::model::shared_texts(|| build_shared(inv, selection, all_points, group_by_rg))
}

fn build_shared(
    inv: &Inventory,
    selection: Option<&NodeId>,
    all_points: bool,
    group_by_rg: bool,
) -> TableModel {
    if all_points {
        return points_table(
            &inv.labels,
            inv.points_below(selection, group_by_rg),
            "Every restore point below",
        );
    }
    match selection {
        None => subscriptions_table(inv),
        Some(node @ (NodeId::Subscription(_) | NodeId::Group { .. })) => {
            let vms: Vec<ResourceId> = vms_below(inv, node);
            vms_table(inv, &vms)
        }
        Some(NodeId::Vm(id)) => {
            let points: Vec<&PointEntry> = inv.points_of_vm(id);
            points_table(&inv.labels, points, "Restore points")
        }
        Some(NodeId::Unlinked(sub)) => collections_table(inv, inv.unlinked_of(sub)),
        Some(NodeId::Collection(id)) => {
            let points = inv
                .points_of(id)
                .iter()
                .filter_map(|p| inv.point_entry(p))
                .collect();
            points_table(&inv.labels, points, "Restore points")
        }
        Some(NodeId::Point(id)) => disk_points_table(inv, id),
        Some(NodeId::DiskPoint(_)) => TableModel {
            title: "Disk restore point".into(),
            ..Default::default()
        },
    }
}

fn vms_below(inv: &Inventory, node: &NodeId) -> Vec<ResourceId> {
    match node {
        NodeId::Subscription(sub) => inv.vms_of(sub).to_vec(),
        NodeId::Group {
            subscription_id,
            resource_group,
        } => inv
            .vms_of(subscription_id)
            .iter()
            .filter(|id| {
                id.resource_group()
                    .is_some_and(|g| g.eq_ignore_ascii_case(resource_group))
            })
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

fn subscriptions_table(inv: &Inventory) -> TableModel {
    let unread_in = |sub: &str| {
        inv.collections
            .iter()
            .filter(|(id, c)| c.points_unread() && id.subscription_id().eq_ignore_ascii_case(sub))
            .count()
    };
    let any_unread = inv.collections.values().any(|c| c.points_unread());
    let rows = inv
        .subscription_ids()
        .iter()
        .map(|sub| {
            let name = inv.label(&NodeId::Subscription(sub.clone()));
            let state = inv
                .subs
                .get(sub)
                .and_then(|e| e.subscription.state.clone())
                .unwrap_or_default();
            let vms = inv.vms_of(sub).len();
            let collections = inv
                .collections
                .keys()
                .filter(|c| c.subscription_id().eq_ignore_ascii_case(sub))
                .count();
            let points = inv
                .points
                .keys()
                .filter(|p| p.subscription_id().eq_ignore_ascii_case(sub))
                .count();
            let mut cells = vec![
                Cell::text(name),
                Cell::text(sub.clone()),
                Cell::text(state),
                Cell::Count(vms),
                Cell::Count(collections),
                Cell::Count(points),
            ];
            if any_unread {
                cells.push(Cell::Count(unread_in(sub)));
            }
            row(NodeId::Subscription(sub.clone()), cells)
        })
        .collect();
    let mut columns = vec![
        col("Name", 200.0),
        col("Subscription ID", 260.0),
        col("State", 70.0),
        col("VMs", 50.0),
        col("Collections", 80.0),
        col("Points", 60.0),
    ];
    if any_unread {
        // Collections whose points are read when opened: not in "Points" until read.
        columns.push(col("Not read", 70.0));
    }
    TableModel {
        title: "Subscriptions".into(),
        columns,
        rows,
    }
}

fn vms_table(inv: &Inventory, vms: &[ResourceId]) -> TableModel {
    let rows = vms
        .iter()
        .filter_map(|id| inv.vms.get(id))
        .map(|vm| {
            let points = inv.points_of_vm(&vm.id);
            let latest = points
                .last()
                .and_then(|p| p.point.properties.time_created)
                .map(|t| t.unix_secs());
            let power = vm.power_state().map(|p| p.to_string()).unwrap_or_default();
            let os = vm.os_type().map(|o| o.to_string()).unwrap_or_default();
            let disks = vm.data_disks().len() + usize::from(vm.os_disk().is_some());
            row(
                NodeId::Vm(vm.id.clone()),
                vec![
                    Cell::text(vm.name.clone()),
                    Cell::text(vm.id.resource_group().unwrap_or_default().to_owned()),
                    Cell::text(vm.location.clone()),
                    Cell::text(vm.vm_size().to_owned()),
                    Cell::text(os),
                    Cell::text(power),
                    Cell::Count(disks),
                    Cell::Count(inv.collections_of(&vm.id).len()),
                    Cell::Count(points.len()),
                    Cell::Time(latest),
                ],
            )
        })
        .collect();
    TableModel {
        title: "Virtual machines".into(),
        columns: vec![
            col("Name", 130.0),
            col("Resource group", 115.0),
            col("Region", 80.0),
            col("Size", 120.0),
            col("OS", 55.0),
            col("Power", 75.0),
            col("Disks", 40.0),
            col("Collections", 72.0),
            col("Points", 45.0),
            col("Latest point", 115.0),
        ],
        rows,
    }
}

fn points_table(
    labels: &crate::lifecycle::Labels,
    mut points: Vec<&PointEntry>,
    title: &str,
) -> TableModel {
    // Newest first: during an incident the latest points matter most.
    points.sort_by_key(|p| std::cmp::Reverse(p.point.properties.time_created));
    let rows = points
        .into_iter()
        .map(|entry| {
            let p: &RestorePoint = entry.detail.value().map_or(&entry.point, |d| &**d);
            let props = &p.properties;
            let collection =
                p.id.value_of("restorePointCollections")
                    .unwrap_or_default()
                    .to_owned();
            row(
                NodeId::Point(p.id.clone()),
                vec![
                    Cell::text(p.name.clone()),
                    Cell::text(collection),
                    Cell::Time(props.time_created.map(|t| t.unix_secs())),
                    Cell::text(
                        props
                            .consistency_mode
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                    ),
                    Cell::text(
                        props
                            .provisioning_state
                            .as_ref()
                            .map(|s| s.to_string())
                            .unwrap_or_default(),
                    ),
                    Cell::Count(p.captured_disks().len()),
                    Cell::Count(props.exclude_disks.len()),
                    Cell::Percent(p.min_completion_percent()),
                    Cell::text(labels.get(&p.id).map(|l| l.summary()).unwrap_or_default()),
                ],
            )
        })
        .collect();
    TableModel {
        title: title.to_owned(),
        columns: vec![
            col("Name", 120.0),
            col("Collection", 130.0),
            col("Created", 115.0),
            col("Consistency", 135.0),
            col("State", 70.0),
            col("Disks", 40.0),
            col("Excluded", 58.0),
            col("Copied", 60.0),
            col("Label", 120.0),
        ],
        rows,
    }
}

fn collections_table(inv: &Inventory, ids: &[ResourceId]) -> TableModel {
    let rows = ids
        .iter()
        .filter_map(|id| inv.collections.get(id))
        .map(|c| {
            let source = c
                .collection
                .properties
                .source
                .as_ref()
                .map(|s| s.id.clone())
                .unwrap_or_default();
            row(
                NodeId::Collection(c.collection.id.clone()),
                vec![
                    Cell::text(c.collection.name.clone()),
                    Cell::text(
                        c.collection
                            .id
                            .resource_group()
                            .unwrap_or_default()
                            .to_owned(),
                    ),
                    Cell::text(c.collection.location.clone()),
                    Cell::text(super::badges::link_text(&c.link)),
                    Cell::text(source),
                    Cell::Count(inv.points_of(&c.collection.id).len()),
                ],
            )
        })
        .collect();
    TableModel {
        title: "Collections without a VM".into(),
        columns: vec![
            col("Name", 160.0),
            col("Resource group", 140.0),
            col("Region", 90.0),
            col("Why", 160.0),
            col("Source", 300.0),
            col("Points", 50.0),
        ],
        rows,
    }
}

fn disk_points_table(inv: &Inventory, point_id: &ResourceId) -> TableModel {
    let point = inv.point(point_id);
    let view = point.and_then(|p| p.properties.instance_view.as_ref());
    let captured = point.map(|p| p.captured_disks()).unwrap_or_default();
    let rows = inv
        .disk_points_of(point_id)
        .into_iter()
        .map(|id| {
            let disk = captured.iter().find(|d| {
                d.disk_restore_point
                    .as_ref()
                    .is_some_and(|r| r.id.resource_id().as_ref() == Some(&id))
            });
            let state = view.and_then(|v| {
                v.disk_restore_points
                    .iter()
                    .find(|d| ResourceId::parse(&d.id).ok().as_ref() == Some(&id))
            });
            let sku = disk
                .and_then(|d| d.managed_disk.as_ref()?.storage_account_type.as_ref())
                .map(|s| s.short_label().to_owned())
                .unwrap_or_default();
            let lun = match disk.and_then(|d| d.lun) {
                Some(l) => l.to_string(),
                None => "OS".to_owned(),
            };
            let access = state
                .and_then(|s| s.snapshot_access_state.as_ref())
                .map(|s| s.to_string())
                .unwrap_or_default();
            let copied = state.and_then(|s| s.replication_status.as_ref()?.completion_percent);
            row(
                NodeId::DiskPoint(id.clone()),
                vec![
                    Cell::text(
                        disk.and_then(|d| d.name.as_deref())
                            .unwrap_or_else(|| id.name())
                            .to_owned(),
                    ),
                    Cell::text(lun),
                    Cell::text(sku),
                    Cell::Size(disk.and_then(|d| d.disk_size_gb)),
                    Cell::text(access),
                    Cell::Percent(copied),
                ],
            )
        })
        .collect();
    TableModel {
        title: "Disk restore points".into(),
        columns: vec![
            col("Disk", 220.0),
            col("LUN", 40.0),
            col("Type", 110.0),
            col("Size", 70.0),
            col("Access", 170.0),
            col("Copied", 60.0),
        ],
        rows,
    }
}
