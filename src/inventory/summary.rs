//! What is still loading, for the status bar.

use super::Inventory;

/// Counts of loaded and pending work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub subscriptions_total: usize,
    pub subscriptions_done: usize,
    pub collections_total: usize,
    pub collections_done: usize,
    /// Collections whose points are read on demand and have not been (not pending).
    pub collections_on_demand: usize,
    pub failures: usize,
}

impl LoadProgress {
    /// True when nothing is pending.
    pub fn is_complete(&self) -> bool {
        self.subscriptions_done == self.subscriptions_total
            && self.collections_done == self.collections_total
    }

    /// 0.0–1.0 for a progress bar.
    pub fn fraction(&self) -> f32 {
        let total = self.subscriptions_total + self.collections_total;
        if total == 0 {
            return 1.0;
        }
        (self.subscriptions_done + self.collections_done) as f32 / total as f32
    }
}

impl Inventory {
    /// How far loading has come. A failed node counts as done (and as a failure).
    pub fn progress(&self) -> LoadProgress {
        let mut p = LoadProgress::default();
        if self.subscriptions.is_loading() {
            p.subscriptions_total = 1;
        }
        for e in self.subs.values() {
            p.subscriptions_total += 1;
            let parts = [&e.vms, &e.disks, &e.collections];
            if parts
                .iter()
                .all(|l| !l.is_loading() && !matches!(l, super::Loadable::NotRequested))
            {
                p.subscriptions_done += 1;
            }
            p.failures += parts.iter().filter(|l| l.error().is_some()).count();
        }
        for c in self.collections.values() {
            if c.points_unread() {
                p.collections_on_demand += 1;
                continue;
            }
            p.collections_total += 1;
            if !c.points.is_loading() {
                p.collections_done += 1;
            }
            p.failures += usize::from(c.points.error().is_some());
        }
        p.failures += usize::from(self.subscriptions.error().is_some());
        p
    }
}
