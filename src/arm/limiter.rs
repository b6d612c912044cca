//! Client-side pacing that mirrors ARM's own token buckets (per subscription, per kind of
//! request) plus a cap on concurrent requests per subscription, so a large estate loads
//! as fast as ARM allows without collecting 429s.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What kind of request, for bucket accounting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum OpKind {
    Read,
    Write,
    Delete,
}

/// Bucket sizes and refill rates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketConfig {
    pub read_capacity: f64,
    pub read_refill_per_sec: f64,
    pub write_capacity: f64,
    pub write_refill_per_sec: f64,
}

/// The share of ARM's limits rpdesk uses by default. The same principal's buckets are
/// shared with the portal, scripts and other tools, and requests in flight race the
/// refill; pacing a little under the limit keeps large loads free of 429s.
pub const ARM_SHARE: f64 = 0.9;

impl BucketConfig {
    /// ARM's published per-principal, per-subscription limits (Microsoft's "Understand how
    /// Azure Resource Manager throttles requests": reads 250 burst at 25/s, writes and
    /// deletes 200 burst at 10/s).
    pub const ARM: BucketConfig = BucketConfig {
        read_capacity: 250.0,
        read_refill_per_sec: 25.0,
        write_capacity: 200.0,
        write_refill_per_sec: 10.0,
    };

    /// These limits scaled by `share`.
    pub fn scaled(self, share: f64) -> Self {
        Self {
            read_capacity: self.read_capacity * share,
            read_refill_per_sec: self.read_refill_per_sec * share,
            write_capacity: self.write_capacity * share,
            write_refill_per_sec: self.write_refill_per_sec * share,
        }
    }
}

impl Default for BucketConfig {
    /// [`ARM_SHARE`] of ARM's limits.
    fn default() -> Self {
        Self::ARM.scaled(ARM_SHARE)
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    refill_per_sec: f64,
    last: Instant,
}

impl Bucket {
    fn new(capacity: f64, refill_per_sec: f64) -> Self {
        Self {
            tokens: capacity,
            capacity,
            refill_per_sec,
            last: Instant::now(),
        }
    }

    /// Takes a token now, or says how long until one is there.
    fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.refill_per_sec).min(self.capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.refill_per_sec.max(0.001),
            ))
        }
    }
}

#[derive(Debug)]
struct Scope {
    buckets: HashMap<OpKind, Bucket>,
    concurrency: Arc<Semaphore>,
}

/// Per-subscription buckets and concurrency permits.
#[derive(Debug)]
pub(crate) struct Limiter {
    config: Option<BucketConfig>,
    per_scope_concurrency: usize,
    scopes: Mutex<HashMap<String, Scope>>,
}

impl Limiter {
    pub(crate) fn new(config: Option<BucketConfig>, per_scope_concurrency: usize) -> Self {
        Self {
            config,
            per_scope_concurrency: per_scope_concurrency.max(1),
            scopes: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a token in `scope`'s bucket, then for a concurrency permit.
    pub(crate) async fn acquire(&self, scope: &str, kind: OpKind) -> Option<OwnedSemaphorePermit> {
        loop {
            let wait = {
                let Ok(mut scopes) = self.scopes.lock() else {
                    break;
                };
                let entry = self.scope_entry(&mut scopes, scope);
                match entry.buckets.get_mut(&kind) {
                    Some(bucket) => bucket.try_take(Instant::now()).err(),
                    None => None,
                }
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => break,
            }
        }
        let semaphore = {
            let Ok(mut scopes) = self.scopes.lock() else {
                return None;
            };
            self.scope_entry(&mut scopes, scope).concurrency.clone()
        };
        semaphore.acquire_owned().await.ok()
    }

    /// Lowers the local bucket to what ARM says remains (`x-ms-ratelimit-remaining-…`).
    pub(crate) fn observe_remaining(&self, scope: &str, kind: OpKind, remaining: f64) {
        let Ok(mut scopes) = self.scopes.lock() else {
            return;
        };
        let entry = self.scope_entry(&mut scopes, scope);
        if let Some(bucket) = entry.buckets.get_mut(&kind) {
            bucket.tokens = bucket.tokens.min(remaining);
        }
    }

    fn scope_entry<'a>(
        &self,
        scopes: &'a mut HashMap<String, Scope>,
        scope: &str,
    ) -> &'a mut Scope {
        scopes.entry(scope.to_owned()).or_insert_with(|| {
            let mut buckets = HashMap::new();
            if let Some(c) = self.config {
                buckets.insert(
                    OpKind::Read,
                    Bucket::new(c.read_capacity, c.read_refill_per_sec),
                );
                buckets.insert(
                    OpKind::Write,
                    Bucket::new(c.write_capacity, c.write_refill_per_sec),
                );
                buckets.insert(
                    OpKind::Delete,
                    Bucket::new(c.write_capacity, c.write_refill_per_sec),
                );
            }
            Scope {
                buckets,
                concurrency: Arc::new(Semaphore::new(self.per_scope_concurrency)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_drains_then_refills() {
        let mut b = Bucket::new(2.0, 10.0);
        let t0 = b.last;
        assert!(b.try_take(t0).is_ok());
        assert!(b.try_take(t0).is_ok());
        let wait = b.try_take(t0).unwrap_err();
        assert!(
            wait <= Duration::from_millis(101) && wait >= Duration::from_millis(99),
            "{wait:?}"
        );
        assert!(b.try_take(t0 + Duration::from_millis(100)).is_ok());
    }

    #[test]
    fn bucket_never_exceeds_capacity() {
        let mut b = Bucket::new(3.0, 100.0);
        let later = b.last + Duration::from_secs(60);
        for _ in 0..3 {
            assert!(b.try_take(later).is_ok());
        }
        assert!(b.try_take(later).is_err());
    }
}
