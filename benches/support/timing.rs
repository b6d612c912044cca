//! Timing for the benchmarks that print their figures (not every benchmark uses it).
#![allow(dead_code)]

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Best of `rounds` runs of `f`.
pub fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Milliseconds to one decimal: `12.3 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
