//! Giving the memory a load freed back to the system once the inventory settles.
//!
//! Loading a fleet frees far more than it keeps (about 2 GB allocated over a `large:10000`
//! load, 113 MB kept): each page's body, the buffers of the requests in flight, the lists
//! that grew while parsing. glibc keeps what is freed in the
//! middle of its heap resident, so after a `large:10000` load the process holds pages
//! that nothing uses, and showing a large table or taking a screenshot then grows it past
//! the load's peak. `malloc_trim` hands the free pages back.

use super::App;

/// What settling has done so far ([`App::memory_releases`] reads the count).
#[derive(Debug, Default)]
pub(super) struct Settling {
    /// The inventory generation last looked at.
    generation: Option<u64>,
    /// Whether the inventory was complete then.
    complete: bool,
    /// How many times free memory was given back.
    releases: u32,
}

impl App {
    /// Gives free memory back each time the inventory becomes complete (first load,
    /// refresh, reconnect). Looks only when the inventory changed.
    pub(super) fn settle_memory(&mut self) {
        let generation = self.inventory.generation;
        if self.settling.generation == Some(generation) {
            return;
        }
        self.settling.generation = Some(generation);
        let complete = self.conn.is_connected() && self.inventory.progress().is_complete();
        if complete && !self.settling.complete {
            let started = std::time::Instant::now();
            release_free_heap();
            self.settling.releases += 1;
            tracing::debug!(elapsed = ?started.elapsed(), "gave the load's free memory back");
        }
        self.settling.complete = complete;
    }

    /// How many times the app gave free memory back after a load.
    pub fn memory_releases(&self) -> u32 {
        self.settling.releases
    }
}

/// Returns the heap's free pages to the system (glibc only; elsewhere the allocator
/// returns what it frees itself).
fn release_free_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free; it takes the
    // allocator's locks like any allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}
