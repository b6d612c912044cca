//! ARM's request token buckets (Microsoft's "Understand how Azure Resource Manager
//! throttles requests"): per subscription, reads 250 burst refilled at 25/s, writes and
//! deletes 200 burst at 10/s. Buckets run on real time, because they
//! model ARM's front door, not the emulated services behind it.

use std::collections::HashMap;
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Read,
    Write,
}

impl Kind {
    fn limits(self) -> (f64, f64) {
        match self {
            Kind::Read => (250.0, 25.0),
            Kind::Write => (200.0, 10.0),
        }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Debug, Default)]
pub struct Buckets {
    buckets: HashMap<(String, Kind), Bucket>,
}

impl Buckets {
    /// Takes one token. `Ok(remaining)` or `Err(real seconds until a token is back)`.
    pub fn take(&mut self, scope: &str, kind: Kind) -> Result<u64, u64> {
        let (cap, rate) = kind.limits();
        let b = self
            .buckets
            .entry((scope.to_ascii_lowercase(), kind))
            .or_insert_with(|| Bucket {
                tokens: cap,
                last: Instant::now(),
            });
        let now = Instant::now();
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate).min(cap);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(b.tokens.floor() as u64)
        } else {
            Err((((1.0 - b.tokens) / rate).ceil() as u64).max(1))
        }
    }

    pub fn clear(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_bucket_empties_after_its_burst() {
        let mut b = Buckets::default();
        for _ in 0..200 {
            assert!(b.take("s", Kind::Write).is_ok());
        }
        assert_eq!(b.take("s", Kind::Write), Err(1));
        assert!(b.take("other", Kind::Write).is_ok());
        assert!(b.take("s", Kind::Read).is_ok());
    }
}
