//! The cost views' derived data: the cost estate, read from the inventory a slice per
//! frame when it changes (at most every 2 s while it is still loading), and per view the
//! newest figures, computed off the UI thread by the backend: one computation in flight
//! per view, the latest inputs next.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::super::Command;
use crate::cost::{CostEstate, CostInputs, CostModel};
use crate::inventory::{CostEstateJob, Inventory};

/// Restore points read into the cost estate per frame (a few milliseconds of a frame).
const POINTS_PER_FRAME: usize = 2_500;

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
    /// The estate being read (for the inventory generation it started at), and the time
    /// spent on it so far.
    job: Option<(u64, CostEstateJob, Duration)>,
    /// How long reading the last estate took, all slices together.
    pub estate_build: Duration,
    /// The estate's regions (for the prices to load).
    regions: Vec<String>,
    /// The estate a new one replaced, handed to the next computation to be freed off the
    /// UI thread (a fleet's takes longer than a frame to free).
    retired: Option<Arc<CostEstate>>,
    slots: [Slot; 2],
}

impl CostCaches {
    /// The cost estate of the inventory (the previous one while a new one is read). A
    /// change of the inventory starts a new read (while it is still loading, at most every
    /// 2 s), which goes on a slice per call.
    pub fn estate(&mut self, inv: &Inventory, now_unix: i64) -> Arc<CostEstate> {
        let due = inv.progress().is_complete() || now_unix - self.estate_built_unix >= 2;
        if self.job.is_none()
            && self.estate_key != Some(inv.generation)
            && (due || self.estate_key.is_none())
        {
            self.job = Some((inv.generation, inv.cost_estate_job(), Duration::ZERO));
        }
        if let Some((_, job, spent)) = &mut self.job {
            let started = Instant::now();
            let done = inv.cost_estate_step(job, POINTS_PER_FRAME);
            *spent += started.elapsed();
            if done && let Some((generation, job, spent)) = self.job.take() {
                let old = std::mem::replace(&mut self.estate, Arc::new(job.finish()));
                self.retired = Some(old);
                self.regions = self.estate.regions();
                self.estate_build = spent;
                self.estate_key = Some(generation);
                self.estate_built_unix = now_unix;
                self.estate_version += 1;
            }
        }
        self.estate.clone()
    }

    /// The regions of the estate's collections.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// Collections read of how many, while the estate is being read.
    pub fn reading(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(|(_, job, _)| job.progress())
    }

    /// Whether no estate has been read yet.
    pub fn first_read(&self) -> bool {
        self.estate_version == 0
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
                retired: self.retired.take(),
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
