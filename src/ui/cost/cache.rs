//! The cost views' derived data: the cost estate (rebuilt when the inventory changes, at
//! most every 2 s while it is still loading), and per view the newest figures, computed
//! off the UI thread by the backend: one computation in flight per view, the latest
//! inputs next.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::super::Command;
use crate::cost::{CostEstate, CostInputs, CostModel};
use crate::inventory::Inventory;

/// Which cost view figures are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostSlot {
    /// The fleet Cost view (centre).
    Fleet = 0,
    /// The inspector's Cost tab.
    Tab = 1,
}

impl CostSlot {
    /// The slot a backend tag names.
    pub fn from_tag(tag: usize) -> Option<Self> {
        match tag {
            0 => Some(Self::Fleet),
            1 => Some(Self::Tab),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct Slot {
    /// The estate version and inputs last sent for computing.
    requested: Option<(u64, CostInputs)>,
    in_flight: bool,
    model: Option<Arc<CostModel>>,
    elapsed: Option<Duration>,
}

/// Cost caches.
#[derive(Debug, Default)]
pub struct CostCaches {
    estate_key: Option<u64>,
    estate_built_unix: i64,
    estate: Arc<CostEstate>,
    estate_version: u64,
    /// How long the last estate build took.
    pub estate_build: Duration,
    slots: [Slot; 2],
}

impl CostCaches {
    /// The cost estate of the inventory. While the inventory is still loading (its
    /// generation moves with every event) it is rebuilt at most every 2 s.
    pub fn estate(&mut self, inv: &Inventory, now_unix: i64) -> Arc<CostEstate> {
        let due = inv.progress().is_complete() || now_unix - self.estate_built_unix >= 2;
        if self.estate_key != Some(inv.generation) && (due || self.estate_key.is_none()) {
            let started = Instant::now();
            self.estate = Arc::new(inv.cost_estate());
            self.estate_build = started.elapsed();
            self.estate_key = Some(inv.generation);
            self.estate_built_unix = now_unix;
            self.estate_version += 1;
        }
        self.estate.clone()
    }

    /// The newest figures of a view, whether newer ones are on their way, and the
    /// computation to start when the inputs moved and none is in flight.
    pub fn model(
        &mut self,
        slot: CostSlot,
        inputs: CostInputs,
    ) -> (Option<Arc<CostModel>>, bool, Option<Command>) {
        let version = self.estate_version;
        let estate = self.estate.clone();
        let s = &mut self.slots[slot as usize];
        let current = s
            .requested
            .as_ref()
            .is_some_and(|(v, i)| *v == version && *i == inputs);
        let mut start = None;
        if !current && !s.in_flight {
            s.requested = Some((version, inputs.clone()));
            s.in_flight = true;
            start = Some(Command::ComputeCost {
                tag: slot as usize,
                estate,
                inputs: Box::new(inputs),
            });
        }
        (s.model.clone(), s.in_flight || !current, start)
    }

    /// Figures computed for a view.
    pub fn receive(&mut self, slot: CostSlot, model: Arc<CostModel>, elapsed: Duration) {
        let s = &mut self.slots[slot as usize];
        s.in_flight = false;
        s.model = Some(model);
        s.elapsed = Some(elapsed);
    }

    /// The newest figures of a view.
    pub fn latest(&self, slot: CostSlot) -> Option<Arc<CostModel>> {
        self.slots[slot as usize].model.clone()
    }

    /// How long the newest figures of a view took to compute.
    pub fn elapsed(&self, slot: CostSlot) -> Option<Duration> {
        self.slots[slot as usize].elapsed
    }
}
