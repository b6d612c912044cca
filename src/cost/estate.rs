//! The retained set as the cost model sees it: collections, their restore points, and per
//! source disk the chain of its disk restore points (a "disk family"). Built from the
//! inventory by `Inventory::cost_estate`, or by hand with [`CostEstateBuilder`].

use std::collections::{BTreeMap, HashMap, HashSet};

use super::assumptions::AssumptionSet;
use super::chain::{freed_by_deleting, point_sizes};
use super::money::Amount;
use super::prices::{PriceBook, region_key};

/// A restore point collection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CollectionInfo {
    /// Its resource id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Lower-case id of its source VM (empty when it has none, e.g. a cross-region copy).
    pub vm_key: String,
    /// The source VM's name, for tables.
    pub vm_name: String,
    /// Its resource group (where Azure bills its snapshots).
    pub resource_group: String,
    /// Lower-case subscription id.
    pub subscription_id: String,
    /// ARM region name.
    pub region: String,
    /// The source VM exists, so a schedule keeps adding points.
    pub live: bool,
    /// Lower-case ids of the disks attached to the VM now (they get new points).
    pub attached_disks: Vec<String>,
}

/// A restore point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointInfo {
    /// Its resource id.
    pub id: String,
    /// Index of its collection.
    pub collection: usize,
    /// `timeCreated`, Unix seconds.
    pub time_unix: i64,
}

impl PointInfo {
    /// Its name (the id's last segment).
    pub fn name(&self) -> &str {
        self.id.rsplit('/').next().unwrap_or(&self.id)
    }
}

/// A disk a point captured (from its `sourceMetadata`), borrowed from where it was read:
/// the builder copies only what a new family needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CapturedDisk<'a> {
    /// Id of the source managed disk (or its name when ARM gave no id), any case.
    pub disk_key: &'a str,
    /// The disk's name.
    pub disk_name: &'a str,
    /// Provisioned size, GiB.
    pub provisioned_gib: f64,
    /// `Premium_LRS`, `PremiumV2_LRS`…
    pub storage_type: &'a str,
    /// The disk restore point's name (its id is `<point id>/diskRestorePoints/<name>`).
    pub disk_restore_point: std::borrow::Cow<'a, str>,
}

/// One source disk's disk restore points in one collection, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskFamily {
    /// Lower-case source disk id.
    pub disk_key: String,
    /// The disk's name.
    pub disk_name: String,
    /// Index of the collection.
    pub collection: usize,
    /// Provisioned size, GiB (the largest any point captured).
    pub provisioned_gib: f64,
    /// The disk's type.
    pub storage_type: String,
    /// Still attached to the live VM: new points capture it.
    pub attached: bool,
    /// Point indices, oldest first.
    pub points: Vec<usize>,
    /// Their `timeCreated`, Unix seconds (kept beside the indices: the model reads them
    /// for every chain, every sample).
    pub times: Vec<i64>,
    /// The names of the disk restore points of `points`, one per line (one string, not
    /// one each: a fleet has hundreds of thousands).
    pub disk_restore_points: String,
}

impl DiskFamily {
    /// Whether instant access applies to its snapshots (Premium SSD v2 and Ultra only).
    pub fn instant_access_eligible(&self) -> bool {
        matches!(self.storage_type.as_str(), "PremiumV2_LRS" | "UltraSSD_LRS")
    }

    /// The name of the disk restore point of `points[pos]`.
    pub fn disk_restore_point(&self, pos: usize) -> &str {
        self.disk_restore_points
            .split('\n')
            .nth(pos)
            .unwrap_or_default()
    }
}

/// Everything the cost model reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostEstate {
    /// Collections.
    pub collections: Vec<CollectionInfo>,
    /// Restore points.
    pub points: Vec<PointInfo>,
    /// Disk families.
    pub families: Vec<DiskFamily>,
    /// Per collection, its points oldest first.
    pub collection_points: Vec<Vec<usize>>,
    /// Where each point's (family, position) pairs start in `point_family_list`.
    point_family_start: Vec<usize>,
    point_family_list: Vec<(usize, usize)>,
}

impl CostEstate {
    /// The (family, position) pairs a point appears in: its disk restore points.
    pub fn families_of_point(&self, point: usize) -> &[(usize, usize)] {
        let start = self.point_family_start.get(point).copied().unwrap_or(0);
        let end = self
            .point_family_start
            .get(point + 1)
            .copied()
            .unwrap_or(start);
        self.point_family_list.get(start..end).unwrap_or(&[])
    }
}

/// Builds a [`CostEstate`] collection by collection, point by point.
#[derive(Debug, Default)]
pub struct CostEstateBuilder {
    estate: CostEstate,
    /// Per collection, its families (a handful each: searched in order).
    families_of: Vec<Vec<usize>>,
    /// The collection being filled, and its first point: it is closed (its chains sorted,
    /// its points' families indexed) when the next one opens, so that `finish` is short.
    open: Option<(usize, usize)>,
    /// Points were added to a collection other than the last opened: `finish` sorts and
    /// indexes everything instead.
    interleaved: bool,
}

impl CostEstateBuilder {
    /// Adds a collection; returns its index.
    pub fn collection(&mut self, mut info: CollectionInfo) -> usize {
        self.close();
        self.open = Some((self.estate.collections.len(), self.estate.points.len()));
        info.region = region_key(&info.region);
        info.subscription_id = info.subscription_id.to_ascii_lowercase();
        self.estate.collections.push(info);
        self.estate.collection_points.push(Vec::new());
        self.families_of.push(Vec::new());
        self.estate.collections.len() - 1
    }

    /// Adds a point of collection `collection` with the disks it captured.
    pub fn point<'a>(
        &mut self,
        collection: usize,
        id: &str,
        time_unix: i64,
        disks: impl IntoIterator<Item = CapturedDisk<'a>>,
    ) {
        let index = self.estate.points.len();
        self.interleaved |= self.open.map(|(c, _)| c) != Some(collection);
        self.estate.points.push(PointInfo {
            id: id.to_owned(),
            collection,
            time_unix,
        });
        if let Some(list) = self.estate.collection_points.get_mut(collection) {
            list.push(index);
        }
        for d in disks {
            let known = self.families_of.get(collection).and_then(|fs| {
                fs.iter().copied().find(|f| {
                    self.estate.families[*f]
                        .disk_key
                        .eq_ignore_ascii_case(d.disk_key)
                })
            });
            let family = match known {
                Some(f) => f,
                None => {
                    let attached = self.estate.collections.get(collection).is_some_and(|c| {
                        c.live
                            && c.attached_disks
                                .iter()
                                .any(|a| a.eq_ignore_ascii_case(d.disk_key))
                    });
                    self.estate.families.push(DiskFamily {
                        disk_key: d.disk_key.to_ascii_lowercase(),
                        disk_name: d.disk_name.to_owned(),
                        collection,
                        provisioned_gib: 0.0,
                        storage_type: d.storage_type.to_owned(),
                        attached,
                        points: Vec::new(),
                        times: Vec::new(),
                        disk_restore_points: String::new(),
                    });
                    let f = self.estate.families.len() - 1;
                    if let Some(fs) = self.families_of.get_mut(collection) {
                        fs.push(f);
                    }
                    f
                }
            };
            let f = &mut self.estate.families[family];
            f.provisioned_gib = f.provisioned_gib.max(d.provisioned_gib);
            if !f.points.is_empty() {
                f.disk_restore_points.push('\n');
            }
            f.disk_restore_points.push_str(&d.disk_restore_point);
            f.points.push(index);
            f.times.push(time_unix);
        }
    }

    /// Closes the open collection: its chains sorted oldest first, its points' families
    /// indexed.
    fn close(&mut self) {
        let Some((ci, first)) = self.open.take() else {
            return;
        };
        if self.interleaved {
            return;
        }
        let e = &mut self.estate;
        let mut entries: Vec<(usize, usize, usize)> = Vec::new();
        for fi in self.families_of.get(ci).into_iter().flatten() {
            let f = &mut e.families[*fi];
            sort_chain(f);
            entries.extend(f.points.iter().enumerate().map(|(pos, p)| (*p, *fi, pos)));
        }
        let (points, collection_points) = (&e.points, &mut e.collection_points);
        if let Some(list) = collection_points.get_mut(ci) {
            list.sort_by_key(|p| (points[*p].time_unix, *p));
        }
        entries.sort_unstable();
        let mut next = entries.iter().peekable();
        for p in first..e.points.len() {
            e.point_family_start.push(e.point_family_list.len());
            while let Some((_, fi, pos)) = next.next_if(|(q, ..)| *q == p) {
                e.point_family_list.push((*fi, *pos));
            }
        }
    }

    /// The estate, chains sorted oldest first.
    pub fn finish(mut self) -> CostEstate {
        self.close();
        let e = &mut self.estate;
        if !self.interleaved {
            e.point_family_start.push(e.point_family_list.len());
            return self.estate;
        }
        let times: Vec<i64> = e.points.iter().map(|p| p.time_unix).collect();
        e.families.iter_mut().for_each(sort_chain);
        for list in &mut e.collection_points {
            list.sort_by_key(|p| (times[*p], *p));
        }
        let mut counts = vec![0usize; e.points.len() + 1];
        for f in &e.families {
            for p in &f.points {
                counts[*p + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut list = vec![(0, 0); counts.last().copied().unwrap_or(0)];
        let mut next = counts.clone();
        for (fi, f) in e.families.iter().enumerate() {
            for (pos, p) in f.points.iter().enumerate() {
                list[next[*p]] = (fi, pos);
                next[*p] += 1;
            }
        }
        e.point_family_start = counts;
        e.point_family_list = list;
        self.estate
    }

    /// Points added so far.
    pub fn points(&self) -> usize {
        self.estate.points.len()
    }
}

/// Sorts a chain oldest first (points of one time by index), its disk restore points and
/// times with it; a chain already in order is left as it is.
fn sort_chain(f: &mut DiskFamily) {
    let sorted = f
        .points
        .iter()
        .zip(&f.times)
        .zip(f.points.iter().zip(&f.times).skip(1))
        .all(|((p, t), (q, u))| (t, p) <= (u, q));
    if sorted {
        return;
    }
    let mut rows: Vec<(i64, usize, &str)> = f
        .times
        .iter()
        .zip(&f.points)
        .zip(f.disk_restore_points.split('\n'))
        .map(|((t, p), d)| (*t, *p, d))
        .collect();
    rows.sort_by_key(|(t, p, _)| (*t, *p));
    let ids = rows.iter().map(|(.., d)| *d).collect::<Vec<_>>().join("\n");
    f.times = rows.iter().map(|(t, ..)| *t).collect();
    f.points = rows.iter().map(|(_, p, _)| *p).collect();
    f.disk_restore_points = ids;
}

/// What is looked at: the whole fleet or a part of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every collection.
    Fleet,
    /// A subscription (lower-case id).
    Subscription(String),
    /// A resource group of a subscription (the collections' group).
    ResourceGroup {
        /// Lower-case subscription id.
        subscription_id: String,
        /// The group's name.
        name: String,
    },
    /// A VM (lower-case id): its collections.
    Vm(String),
    /// A collection (its id).
    Collection(String),
    /// A restore point (its id): its collection.
    Point(String),
}

impl Scope {
    /// Whether the scope takes in a collection.
    pub fn includes(&self, c: &CollectionInfo) -> bool {
        match self {
            Scope::Fleet => true,
            Scope::Subscription(s) => c.subscription_id.eq_ignore_ascii_case(s),
            Scope::ResourceGroup {
                subscription_id,
                name,
            } => {
                c.subscription_id.eq_ignore_ascii_case(subscription_id)
                    && c.resource_group.eq_ignore_ascii_case(name)
            }
            Scope::Vm(vm) => !c.vm_key.is_empty() && c.vm_key.eq_ignore_ascii_case(vm),
            Scope::Collection(id) => c.id.eq_ignore_ascii_case(id),
            Scope::Point(id) => {
                let n = c.id.len();
                id.get(..n)
                    .is_some_and(|head| head.eq_ignore_ascii_case(&c.id))
                    && id
                        .get(n..n + 15)
                        .is_some_and(|t| t.eq_ignore_ascii_case("/restorePoints/"))
            }
        }
    }
}

/// Per-disk-point sizes and per-collection prices under one set of assumptions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estimate {
    /// Per family, the used data, GiB.
    pub used_gib: Vec<f64>,
    /// Per family, the daily churn.
    pub churn: Vec<f64>,
    /// GiB each point of each family stores, family after family (each in the order of
    /// `DiskFamily::points`; one array, not one per family: a fleet has tens of thousands).
    sizes: Vec<f64>,
    /// Where each family's sizes start in `sizes` (families out of scope have none).
    start: Vec<usize>,
    /// Per collection, the price per GB-month of its region.
    pub price: Vec<f64>,
}

impl Estimate {
    /// GiB each point of a family stores (empty outside the estimate's scope).
    pub fn sizes(&self, family: usize) -> &[f64] {
        let start = self.start.get(family).copied().unwrap_or(0);
        let end = self.start.get(family + 1).copied().unwrap_or(start);
        self.sizes.get(start..end).unwrap_or(&[])
    }

    /// A family's point at `pos`, priced.
    pub fn disk_point(&self, estate: &CostEstate, family: usize, pos: usize) -> Amount {
        let gib = self.sizes(family).get(pos).copied().unwrap_or(0.0);
        Amount::priced(gib, self.price[estate.families[family].collection])
    }

    /// A whole family, priced.
    pub fn family(&self, estate: &CostEstate, family: usize) -> Amount {
        let gib: f64 = self.sizes(family).iter().sum();
        Amount::priced(gib, self.price[estate.families[family].collection])
    }
}

/// Sizes every disk restore point under `assumptions` and prices every collection's
/// region from `prices`.
pub fn estimate(estate: &CostEstate, assumptions: &AssumptionSet, prices: &PriceBook) -> Estimate {
    estimate_in(estate, assumptions, prices, &Scope::Fleet)
}

/// [`estimate`] for the disks of `scope` only (the others are left at zero).
pub fn estimate_in(
    estate: &CostEstate,
    assumptions: &AssumptionSet,
    prices: &PriceBook,
    scope: &Scope,
) -> Estimate {
    let inside: Vec<bool> = estate
        .collections
        .iter()
        .map(|c| scope.includes(c))
        .collect();
    let mut regions: HashMap<&str, f64> = HashMap::new();
    let mut out = Estimate {
        price: estate
            .collections
            .iter()
            .map(|c| {
                *regions
                    .entry(c.region.as_str())
                    .or_insert_with(|| prices.snapshot_price(&c.region).per_gib_month)
            })
            .collect(),
        ..Default::default()
    };
    for f in &estate.families {
        out.start.push(out.sizes.len());
        if !inside[f.collection] {
            out.used_gib.push(0.0);
            out.churn.push(0.0);
            continue;
        }
        let vm_key = &estate.collections[f.collection].vm_key;
        let (a, _) = assumptions.for_disk(vm_key, &f.disk_key);
        let used = f.provisioned_gib * a.used_fraction;
        out.sizes.extend(point_sizes(&f.times, used, a.daily_churn));
        out.used_gib.push(used);
        out.churn.push(a.daily_churn);
    }
    out.start.push(out.sizes.len());
    out
}

/// A named total: a VM, a resource group, a subscription, a region.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// Lower-case key.
    pub key: String,
    /// What to show.
    pub label: String,
    /// Its retained size and monthly cost.
    pub amount: Amount,
    /// Its restore points.
    pub points: usize,
}

/// Totals over a scope, at every level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rollup {
    /// The whole scope.
    pub total: Amount,
    /// Restore points in the scope.
    pub points: usize,
    /// Per point (indexed like `CostEstate::points`; zero outside the scope).
    pub by_point: Vec<Amount>,
    /// Per collection (indexed like `CostEstate::collections`; zero outside the scope).
    pub by_collection: Vec<Amount>,
    /// Collection indices in the scope, most expensive first.
    pub collections: Vec<usize>,
    /// Per VM, most expensive first (collections without a VM under their own name).
    pub by_vm: Vec<Named>,
    /// Per resource group (of the collections), most expensive first.
    pub by_group: Vec<Named>,
    /// Per subscription, most expensive first.
    pub by_subscription: Vec<Named>,
    /// Per region, most expensive first.
    pub by_region: Vec<Named>,
}

fn ranked(map: BTreeMap<String, Named>) -> Vec<Named> {
    let mut out: Vec<Named> = map.into_values().collect();
    out.sort_by(|a, b| {
        b.amount
            .money
            .total_cmp(&a.amount.money)
            .then(b.amount.gib.total_cmp(&a.amount.gib))
            .then(a.label.cmp(&b.label))
    });
    out
}

/// Totals of `scope` at every level.
pub fn rollup(estate: &CostEstate, est: &Estimate, scope: &Scope) -> Rollup {
    let mut r = Rollup {
        by_point: vec![Amount::default(); estate.points.len()],
        by_collection: vec![Amount::default(); estate.collections.len()],
        ..Default::default()
    };
    let inside: Vec<bool> = estate
        .collections
        .iter()
        .map(|c| scope.includes(c))
        .collect();
    for (fi, f) in estate.families.iter().enumerate() {
        if !inside[f.collection] {
            continue;
        }
        for (pos, p) in f.points.iter().enumerate() {
            let a = est.disk_point(estate, fi, pos);
            r.by_point[*p] += a;
            r.by_collection[f.collection] += a;
        }
    }
    let mut vms = BTreeMap::new();
    let mut groups = BTreeMap::new();
    let mut subs = BTreeMap::new();
    let mut regions = BTreeMap::new();
    for (ci, c) in estate.collections.iter().enumerate() {
        if !inside[ci] {
            continue;
        }
        let a = r.by_collection[ci];
        let n = estate.collection_points[ci].len();
        r.total += a;
        r.points += n;
        r.collections.push(ci);
        let add = |map: &mut BTreeMap<String, Named>, key: String, label: &str| {
            let e = map.entry(key.clone()).or_insert_with(|| Named {
                key,
                label: label.to_owned(),
                amount: Amount::default(),
                points: 0,
            });
            e.amount += a;
            e.points += n;
        };
        let (vm_key, vm_label) = if c.vm_key.is_empty() {
            (c.id.to_ascii_lowercase(), c.name.as_str())
        } else {
            (c.vm_key.clone(), c.vm_name.as_str())
        };
        add(&mut vms, vm_key, vm_label);
        add(
            &mut groups,
            format!(
                "{}/{}",
                c.subscription_id,
                c.resource_group.to_ascii_lowercase()
            ),
            &c.resource_group,
        );
        add(&mut subs, c.subscription_id.clone(), &c.subscription_id);
        add(&mut regions, c.region.clone(), &c.region);
    }
    r.collections.sort_by(|a, b| {
        r.by_collection[*b]
            .money
            .total_cmp(&r.by_collection[*a].money)
            .then(a.cmp(b))
    });
    r.by_vm = ranked(vms);
    r.by_group = ranked(groups);
    r.by_subscription = ranked(subs);
    r.by_region = ranked(regions);
    r
}

/// What deleting `points` would free: each touched chain, before less after (a deleted
/// point's changes fold into the next point kept).
pub fn freed_by_deleting_points(
    estate: &CostEstate,
    est: &Estimate,
    points: &HashSet<usize>,
) -> Amount {
    let mut families: Vec<usize> = points
        .iter()
        .flat_map(|p| estate.families_of_point(*p))
        .map(|(f, _)| *f)
        .collect();
    families.sort_unstable();
    families.dedup();
    families
        .into_iter()
        .map(|fi| {
            let f = &estate.families[fi];
            let gib = freed_by_deleting(
                &f.times,
                |i| points.contains(&f.points[i]),
                est.used_gib[fi],
                est.churn[fi],
            );
            Amount::priced(gib, est.price[f.collection])
        })
        .sum()
}

impl CostEstate {
    /// The index of a point by id.
    pub fn point_index(&self, id: &str) -> Option<usize> {
        self.points
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// The index of a collection by id.
    pub fn collection_index(&self, id: &str) -> Option<usize> {
        self.collections
            .iter()
            .position(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// Regions of the collections in a scope (for the prices to fetch).
    pub fn regions(&self) -> Vec<String> {
        let mut out: Vec<String> = self.collections.iter().map(|c| c.region.clone()).collect();
        out.sort();
        out.dedup();
        out.retain(|r| !r.is_empty());
        out
    }
}
