//! The centre table's content for a selection: columns, rows of typed cells. Pure, so
//! it is built once per change and sorted without string parsing.
//!
//! A table of restore points keeps no cells: with every point of a 10,000-VM fleet
//! listed, nine cells a row held 28 MB. Its rows name their points; a row's cells are
//! made from the inventory when it is shown, the filter reads the point's texts where the
//! inventory holds them, and a sort makes the one cell of its column.

use std::borrow::Cow;
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

/// What a column sorts by: texts ignoring case (lower-cased once per row, not once per
/// comparison: 100,000 rows take about 1.7 million comparisons), numbers as numbers.
#[derive(Debug, PartialEq)]
enum SortKey {
    Text(String),
    Int(Option<i64>),
    Number(f64),
}

impl SortKey {
    fn of(cell: &Cell) -> SortKey {
        match cell {
            Cell::Text(t) => SortKey::Text(t.to_lowercase()),
            Cell::Time(t) => SortKey::Int(*t),
            Cell::Count(n) => SortKey::Int(i64::try_from(*n).ok()),
            Cell::Size(v) | Cell::Percent(v) => SortKey::Number(v.unwrap_or(-1.0)),
        }
    }

    fn cmp(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
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
    cells: Cells,
}

/// A row's cells: kept, or made from the inventory when needed.
#[derive(Clone, Debug, PartialEq)]
enum Cells {
    Kept(Box<[Cell]>),
    /// The restore point the row names ([`point_cell`] makes each cell).
    OfPoint,
}

/// Whether `term` (lower case) occurs in one of the row's texts or its resource id,
/// ignoring ASCII case.
fn matches(cells: &[Cell], node: &NodeId, term: &str) -> bool {
    let texts = cells.iter().filter_map(|c| match c {
        Cell::Text(t) => Some(t.as_str()),
        _ => None,
    });
    let id = node.resource_id().map(ResourceId::as_str);
    texts
        .chain(id)
        .any(|hay| contains_ignore_ascii_case(hay, term))
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
    /// The cells of row `index`. A point's are made from `inv` as it is now (the table
    /// may be a second older than the inventory while results stream in); a point gone
    /// since shows its name alone.
    pub fn cells<'a>(&'a self, inv: &Inventory, index: usize) -> Cow<'a, [Cell]> {
        let Some(row) = self.rows.get(index) else {
            return Cow::Borrowed(&[]);
        };
        match (&row.cells, &row.node) {
            (Cells::Kept(cells), _) => Cow::Borrowed(cells),
            (Cells::OfPoint, NodeId::Point(id)) => Cow::Owned(match inv.point_entry(id) {
                Some(entry) => {
                    let p = shown_point(entry);
                    (0..POINT_COLUMNS.len())
                        .filter_map(|c| point_cell(&inv.labels, p, c))
                        .collect()
                }
                None => gone_point_cells(id),
            }),
            (Cells::OfPoint, _) => Cow::Borrowed(&[]),
        }
    }

    /// One cell of row `index` (for sorting): see [`Self::cells`].
    fn cell(&self, inv: &Inventory, index: usize, column: usize) -> Option<Cell> {
        let row = self.rows.get(index)?;
        match (&row.cells, &row.node) {
            (Cells::OfPoint, NodeId::Point(id)) => match inv.point_entry(id) {
                Some(entry) => point_cell(&inv.labels, shown_point(entry), column),
                None => gone_point_cells(id).get(column).cloned(),
            },
            _ => self.cells(inv, index).get(column).cloned(),
        }
    }

    /// Whether every term (lower case) occurs in one of row `index`'s texts or its id.
    fn row_matches(&self, inv: &Inventory, index: usize, terms: &[&str]) -> bool {
        let Some(row) = self.rows.get(index) else {
            return false;
        };
        let point = match (&row.cells, &row.node) {
            (Cells::OfPoint, NodeId::Point(id)) => inv.point_entry(id).map(|e| (id, e)),
            _ => None,
        };
        let Some((id, entry)) = point else {
            let cells = self.cells(inv, index);
            return terms.iter().all(|t| matches(&cells, &row.node, t));
        };
        let p = shown_point(entry);
        let texts = POINT_TEXT_COLUMNS.map(|c| point_text(&inv.labels, p, c).unwrap_or_default());
        terms.iter().all(|t| {
            texts
                .iter()
                .map(|s| s.as_ref())
                .chain([id.as_str()])
                .any(|hay| contains_ignore_ascii_case(hay, t))
        })
    }

    /// Row indices that match `filter` (lower-case), sorted.
    pub fn ordered(
        &self,
        inv: &Inventory,
        filter: &str,
        sort: super::state::SortOrder,
    ) -> Vec<usize> {
        let terms: Vec<&str> = filter.split_whitespace().collect();
        let column = sort.column.filter(|&c| c < self.columns.len());
        if terms.is_empty() && column.is_none() {
            return (0..self.rows.len()).collect();
        }
        // A point row is matched on its texts and sorted on the one cell of its column,
        // none of its other cells made (100,000 rows: 1.5 µs of cells each).
        let mut keyed: Vec<(Option<SortKey>, usize)> = (0..self.rows.len())
            .filter(|&i| terms.is_empty() || self.row_matches(inv, i, &terms))
            .map(|i| {
                (
                    column
                        .and_then(|c| self.cell(inv, i, c))
                        .map(|c| SortKey::of(&c)),
                    i,
                )
            })
            .collect();
        if column.is_some() {
            // Stable: rows that compare equal keep the table's own order.
            keyed.sort_by(|(a, _), (b, _)| {
                let o = match (a, b) {
                    (Some(a), Some(b)) => a.cmp(b),
                    (a, b) => a.is_some().cmp(&b.is_some()),
                };
                if sort.descending { o.reverse() } else { o }
            });
        }
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

fn col(title: &'static str, width: f32) -> Column {
    Column { title, width }
}

fn row(node: NodeId, cells: Vec<Cell>) -> TableRow {
    TableRow {
        node,
        cells: Cells::Kept(cells.into_boxed_slice()),
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
            points_table(points, "Restore points")
        }
        Some(NodeId::Unlinked(sub)) => collections_table(inv, inv.unlinked_of(sub)),
        Some(NodeId::Collection(id)) => {
            let points = inv
                .points_of(id)
                .iter()
                .filter_map(|p| inv.point_entry(p))
                .collect();
            points_table(points, "Restore points")
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
            let name = inv.label(&NodeId::Subscription(sub.into()));
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
            row(NodeId::Subscription(sub.into()), cells)
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

fn points_table(mut points: Vec<&PointEntry>, title: &str) -> TableModel {
    // Newest first: during an incident the latest points matter most. Points of one moment
    // (a schedule takes a fleet's at once) by id, so that the order does not hang on how
    // the inventory happens to hold them.
    points.sort_unstable_by(|a, b| {
        let (a, b) = (&a.point, &b.point);
        (b.properties.time_created.cmp(&a.properties.time_created))
            .then_with(|| a.id.as_str().cmp(b.id.as_str()))
    });
    let rows = points
        .into_iter()
        .map(|entry| TableRow {
            node: NodeId::Point(entry.point.id.clone()),
            cells: Cells::OfPoint,
        })
        .collect();
    TableModel {
        title: title.to_owned(),
        columns: POINT_COLUMNS.iter().map(|&(t, w)| col(t, w)).collect(),
        rows,
    }
}

/// A points table's columns, as [`point_cell`] fills them.
const POINT_COLUMNS: [(&str, f32); 9] = [
    ("Name", 120.0),
    ("Collection", 130.0),
    ("Created", 115.0),
    ("Consistency", 135.0),
    ("State", 70.0),
    ("Disks", 40.0),
    ("Excluded", 58.0),
    ("Copied", 60.0),
    ("Label", 120.0),
];

/// The point a row shows: its detail, once read, over the listed point.
fn shown_point(entry: &PointEntry) -> &RestorePoint {
    entry.detail().value().map_or(&entry.point, |d| &**d)
}

/// The columns of [`POINT_COLUMNS`] that hold texts (what the filter reads).
const POINT_TEXT_COLUMNS: [usize; 5] = [0, 1, 3, 4, 8];

/// The text a point's text column shows, borrowed where it can be.
fn point_text<'a>(
    labels: &crate::lifecycle::Labels,
    p: &'a RestorePoint,
    column: usize,
) -> Option<Cow<'a, str>> {
    let props = &p.properties;
    Some(match column {
        0 => p.name().into(),
        1 => {
            p.id.value_of("restorePointCollections")
                .unwrap_or_default()
                .into()
        }
        3 => props
            .consistency_mode
            .as_ref()
            .map_or("", |m| m.as_str())
            .into(),
        4 => props
            .provisioning_state
            .as_ref()
            .map_or("", |s| s.as_str())
            .into(),
        8 => labels
            .get(&p.id)
            .map(|l| l.summary())
            .unwrap_or_default()
            .into(),
        _ => return None,
    })
}

/// A point's cell in `column` of [`POINT_COLUMNS`].
fn point_cell(labels: &crate::lifecycle::Labels, p: &RestorePoint, column: usize) -> Option<Cell> {
    let props = &p.properties;
    Some(match column {
        0 => Cell::text(p.name()),
        2 => Cell::Time(props.time_created.map(|t| t.unix_secs())),
        5 => Cell::Count(p.captured_disks().len()),
        6 => Cell::Count(props.exclude_disks.len()),
        7 => Cell::Percent(p.min_completion_percent()),
        c => Cell::text(point_text(labels, p, c)?.into_owned()),
    })
}

/// The row of a point no longer in the inventory: its name and collection.
fn gone_point_cells(id: &ResourceId) -> Vec<Cell> {
    let mut cells = vec![
        Cell::text(id.name().to_owned()),
        Cell::text(collection_of(id)),
    ];
    cells.resize(POINT_COLUMNS.len(), Cell::Text(Text::default()));
    cells
}

fn collection_of(point: &ResourceId) -> String {
    point
        .value_of("restorePointCollections")
        .unwrap_or_default()
        .to_owned()
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inventory::InventoryEvent;
    use crate::inventory::test_support::{SUB, inventory};
    use crate::ui::state::SortOrder;

    #[test]
    fn points_taken_at_one_moment_list_by_id_whatever_order_the_inventory_holds() {
        let inv = inventory(12, 0);
        let model = build(&inv, None, true, false);
        let names: Vec<&str> = model
            .rows
            .iter()
            .filter_map(|r| r.node.resource_id().map(|id| id.name()))
            .collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names.len(), 12);
        assert_eq!(names, sorted);
    }

    /// The test VM's collection with three points: (name, consistency, time created).
    fn three_points() -> Inventory {
        let mut inv = inventory(0, 0);
        let rpc1 = inv.collections.keys().next().cloned().expect("rpc1");
        let list: Vec<_> = [
            ("rp-a", "CrashConsistent", "2026-01-10T11:30:00Z"),
            ("rp-b", "ApplicationConsistent", "2026-01-12T11:30:00Z"),
            ("rp-c", "CrashConsistent", "2026-01-11T11:30:00Z"),
        ]
        .iter()
        .map(|(name, mode, at)| {
            json!({ "id": format!("{rpc1}/restorePoints/{name}"), "name": name,
                "properties": { "consistencyMode": mode, "timeCreated": at,
                    "provisioningState": "Succeeded" } })
        })
        .collect();
        let collection = json!({ "id": rpc1.as_str(), "name": "rpc1", "location": "westus2",
            "properties": { "restorePoints": list } });
        let collection = serde_json::from_value(collection).expect("collection");
        inv.apply(InventoryEvent::CollectionPoints {
            collection_id: rpc1,
            result: Ok(Box::new(collection)),
        });
        inv
    }

    fn names(model: &TableModel, inv: &Inventory, order: &[usize]) -> Vec<String> {
        order
            .iter()
            .map(|&i| match model.cells(inv, i).first() {
                Some(Cell::Text(t)) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_points_table_makes_its_cells_from_the_inventory_as_it_is_now() {
        let mut inv = three_points();
        let model = build(&inv, None, true, false);
        assert_eq!(model.rows.len(), 3);
        assert!(model.rows.iter().all(|r| r.cells == Cells::OfPoint));
        // Newest first, nine cells as the columns say.
        let order = model.ordered(&inv, "", SortOrder::default());
        assert_eq!(names(&model, &inv, &order), ["rp-b", "rp-c", "rp-a"]);
        let cells = model.cells(&inv, 0);
        assert_eq!(cells.len(), model.columns.len());
        assert_eq!(cells[1], Cell::text("rpc1"));
        assert_eq!(cells[3], Cell::text("ApplicationConsistent"));
        assert_eq!(cells[4], Cell::text("Succeeded"));

        // A point deleted since the table was built keeps its name and collection.
        let gone = model.rows[0].node.resource_id().cloned().expect("an id");
        inv.points.remove(&gone);
        let cells = model.cells(&inv, 0);
        assert_eq!(cells.len(), model.columns.len());
        assert_eq!(cells[0], Cell::text("rp-b"));
        assert_eq!(cells[1], Cell::text("rpc1"));
        assert_eq!(cells[2], Cell::text(""));
        assert!(model.cells(&inv, 7).is_empty());
    }

    #[test]
    fn filter_and_sort_read_each_points_cells() {
        let inv = three_points();
        let model = build(&inv, None, true, false);
        let by_created = |descending| SortOrder {
            column: Some(2),
            descending,
        };
        let order = model.ordered(&inv, "crash", SortOrder::default());
        assert_eq!(names(&model, &inv, &order), ["rp-c", "rp-a"]);
        let order = model.ordered(&inv, "", by_created(false));
        assert_eq!(names(&model, &inv, &order), ["rp-a", "rp-c", "rp-b"]);
        let order = model.ordered(&inv, "crash", by_created(true));
        assert_eq!(names(&model, &inv, &order), ["rp-c", "rp-a"]);
        // By resource id, and every term must match.
        let order = model.ordered(&inv, "restorepoints/rp-a", SortOrder::default());
        assert_eq!(names(&model, &inv, &order), ["rp-a"]);
        assert!(
            model
                .ordered(&inv, "crash rp-b", SortOrder::default())
                .is_empty()
        );
        // Kept cells (the VMs table) sort and filter as before.
        let vms = build(&inv, Some(&NodeId::Subscription(SUB.into())), false, false);
        assert_eq!(vms.rows.len(), 1);
        assert_eq!(vms.ordered(&inv, "vm1", by_created(false)), [0]);
    }

    #[test]
    fn texts_sort_ignoring_case_and_numbers_as_numbers() {
        let key = |c: Cell| SortKey::of(&c);
        assert_eq!(
            key(Cell::text("B")).cmp(&key(Cell::text("a"))),
            Ordering::Greater
        );
        assert_eq!(
            key(Cell::text("É")).cmp(&key(Cell::text("é"))),
            Ordering::Equal
        );
        assert_eq!(
            key(Cell::Count(9)).cmp(&key(Cell::Count(10))),
            Ordering::Less
        );
        assert_eq!(
            key(Cell::Time(None)).cmp(&key(Cell::Time(Some(0)))),
            Ordering::Less
        );
        assert_eq!(
            key(Cell::Size(None)).cmp(&key(Cell::Size(Some(0.0)))),
            Ordering::Less
        );
    }
}
