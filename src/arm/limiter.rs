//! Client-side pacing that mirrors ARM's own token buckets (per subscription, per kind of
//! request) plus a cap on concurrent requests per subscription and in all, so a large
//! estate loads as fast as ARM allows without collecting 429s, and without holding a
//! response buffer and a connection for every request of twenty subscriptions at once.
//!
//! The local buckets run at ARM's full rates. Two things keep them from overrunning ARM's:
//! - **Headroom.** A request leaves at least [`HEADROOM`] token in the local bucket. The
//!   refill rate is untouched, so the steady rate is ARM's; the one spare token absorbs
//!   requests that reach ARM closer together than they left.
//! - **ARM's own count.** Each response says how many tokens ARM has left
//!   (`x-ms-ratelimit-remaining-subscription-reads`/`-writes`/`-deletes`). The bucket is the
//!   principal's, shared with the portal, scripts and other tools, so ARM may have fewer
//!   than the local bucket had when the request left. That shortfall is taken off the local
//!   bucket once: requests still in flight are already counted locally, and a shortfall
//!   that an earlier response already corrected is not taken twice.

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

/// Tokens a request leaves in the local bucket (see the module docs).
pub const HEADROOM: f64 = 1.0;

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
}

impl Default for BucketConfig {
    /// ARM's limits, in full.
    fn default() -> Self {
        Self::ARM
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    refill_per_sec: f64,
    last: Instant,
    /// Tokens taken off so far because ARM counted fewer than the local bucket.
    corrected: f64,
}

/// What the local bucket held when a request left, to compare with ARM's count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sent {
    kind: OpKind,
    /// Tokens left in the local bucket right after this request took its own.
    left: f64,
    /// The bucket's `corrected` at that moment.
    corrected: f64,
}

/// A request's place in the pacing: its concurrency permit (released on drop) and what it
/// took from the bucket.
#[derive(Debug, Default)]
pub(crate) struct Ticket {
    _permits: (Option<OwnedSemaphorePermit>, Option<OwnedSemaphorePermit>),
    sent: Option<Sent>,
}

impl Bucket {
    fn new(capacity: f64, refill_per_sec: f64) -> Self {
        Self {
            tokens: capacity,
            capacity,
            refill_per_sec,
            last: Instant::now(),
            corrected: 0.0,
        }
    }

    /// Takes a token now, leaving [`HEADROOM`], or says how long until it can.
    fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.refill_per_sec).min(self.capacity);
        self.last = now;
        let needed = 1.0 + HEADROOM.min(self.capacity - 1.0).max(0.0);
        if self.tokens >= needed {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (needed - self.tokens) / self.refill_per_sec.max(0.001),
            ))
        }
    }

    /// ARM had `remaining` tokens after counting the request that left as `sent`: takes off
    /// whatever part of the shortfall no earlier response has taken off.
    fn observe(&mut self, sent: &Sent, remaining: f64) {
        let shortfall = sent.left.floor() - remaining;
        let already = self.corrected - sent.corrected;
        let new = shortfall - already;
        if new > 0.0 {
            self.tokens -= new;
            self.corrected += new;
        }
    }
}

#[derive(Debug)]
struct Scope {
    buckets: HashMap<OpKind, Bucket>,
    concurrency: Arc<Semaphore>,
}

/// Per-subscription buckets and concurrency permits, and a cap on all requests at once.
#[derive(Debug)]
pub(crate) struct Limiter {
    config: Option<BucketConfig>,
    per_scope_concurrency: usize,
    scopes: Mutex<HashMap<String, Scope>>,
    total: Arc<Semaphore>,
}

impl Limiter {
    pub(crate) fn new(
        config: Option<BucketConfig>,
        per_scope_concurrency: usize,
        total_concurrency: usize,
    ) -> Self {
        Self {
            config,
            per_scope_concurrency: per_scope_concurrency.max(1),
            scopes: Mutex::new(HashMap::new()),
            total: Arc::new(Semaphore::new(total_concurrency.max(1))),
        }
    }

    /// Waits for `scope`'s concurrency permit and then for one of the total (always in
    /// that order, so no request holds a total permit while it waits on its scope), then
    /// for a token in `scope`'s bucket. The token is taken last so that it leaves with the
    /// request: a correction from ARM's count then holds back every request not yet sent.
    pub(crate) async fn acquire(&self, scope: &str, kind: OpKind) -> Ticket {
        let semaphore = {
            let Ok(mut scopes) = self.scopes.lock() else {
                return Ticket::default();
            };
            self.scope_entry(&mut scopes, scope).concurrency.clone()
        };
        let permit = semaphore.acquire_owned().await.ok();
        let total = self.total.clone().acquire_owned().await.ok();
        let mut sent = None;
        loop {
            let wait = {
                let Ok(mut scopes) = self.scopes.lock() else {
                    break;
                };
                let entry = self.scope_entry(&mut scopes, scope);
                match entry.buckets.get_mut(&kind) {
                    Some(bucket) => match bucket.try_take(Instant::now()) {
                        Ok(()) => {
                            sent = Some(Sent {
                                kind,
                                left: bucket.tokens,
                                corrected: bucket.corrected,
                            });
                            None
                        }
                        Err(wait) => Some(wait),
                    },
                    None => None,
                }
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => break,
            }
        }
        Ticket {
            _permits: (permit, total),
            sent,
        }
    }

    /// ARM's count of `kind` tokens left in `scope` (`x-ms-ratelimit-remaining-…`), read
    /// from the response to the request that holds `ticket`.
    pub(crate) fn observe_remaining(
        &self,
        scope: &str,
        kind: OpKind,
        remaining: f64,
        ticket: &Ticket,
    ) {
        let Some(sent) = ticket.sent.filter(|s| s.kind == kind) else {
            return;
        };
        let Ok(mut scopes) = self.scopes.lock() else {
            return;
        };
        let entry = self.scope_entry(&mut scopes, scope);
        if let Some(bucket) = entry.buckets.get_mut(&kind) {
            bucket.observe(&sent, remaining);
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
        let mut b = Bucket::new(3.0, 10.0);
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

    /// Takes a token as `acquire` does and says what the bucket held.
    fn send(b: &mut Bucket, at: Instant) -> Sent {
        b.try_take(at).expect("a token");
        Sent {
            kind: OpKind::Read,
            left: b.tokens,
            corrected: b.corrected,
        }
    }

    #[test]
    fn a_request_leaves_one_token_of_headroom() {
        let mut b = Bucket::new(3.0, 0.001);
        let t0 = b.last;
        assert!(b.try_take(t0).is_ok());
        assert!(b.try_take(t0).is_ok());
        assert!(b.try_take(t0).is_err(), "the last token stays");
        assert!((b.tokens - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_shortfall_in_arms_count_is_taken_off_once() {
        let mut b = Bucket::new(100.0, 0.001);
        let t0 = b.last;
        // Ten requests leave before any answer comes back.
        let sent: Vec<Sent> = (0..10).map(|_| send(&mut b, t0)).collect();
        let local = b.tokens;
        // Someone else spent 5: ARM counts 5 fewer than the bucket had as each request left.
        b.observe(&sent[0], sent[0].left.floor() - 5.0);
        assert!((b.tokens - (local - 5.0)).abs() < 1e-6, "{}", b.tokens);
        // The other answers report the same shortfall: it is not taken again.
        for s in &sent[1..5] {
            b.observe(s, s.left.floor() - 5.0);
        }
        assert!((b.tokens - (local - 5.0)).abs() < 1e-6, "{}", b.tokens);
        // Three more spent elsewhere meanwhile: only those three come off.
        b.observe(&sent[5], sent[5].left.floor() - 8.0);
        assert!((b.tokens - (local - 8.0)).abs() < 1e-6, "{}", b.tokens);
        // A request sent after the correction compares with the corrected bucket.
        let later = send(&mut b, t0);
        b.observe(&later, later.left.floor());
        assert!((b.tokens - (local - 9.0)).abs() < 1e-6, "{}", b.tokens);
    }

    #[test]
    fn arm_counting_more_than_the_bucket_changes_nothing() {
        let mut b = Bucket::new(100.0, 0.001);
        let t0 = b.last;
        let s = send(&mut b, t0);
        let local = b.tokens;
        b.observe(&s, s.left + 40.0);
        assert!((b.tokens - local).abs() < 1e-9);
    }

    #[tokio::test]
    async fn requests_of_all_subscriptions_share_the_total_cap() {
        let limiter = Limiter::new(None, 8, 2);
        let a = limiter.acquire("sub-a", OpKind::Read).await;
        let _b = limiter.acquire("sub-b", OpKind::Read).await;
        // A third subscription has permits of its own to spare, but the total is spent.
        let third = limiter.acquire("sub-c", OpKind::Read);
        tokio::pin!(third);
        let waited = tokio::time::timeout(Duration::from_millis(50), &mut third).await;
        assert!(waited.is_err(), "a third request left past the total cap");
        drop(a);
        tokio::time::timeout(Duration::from_secs(5), third)
            .await
            .expect("the third request leaves once one ends");
    }

    #[test]
    fn bucket_never_exceeds_capacity() {
        let mut b = Bucket::new(4.0, 100.0);
        let later = b.last + Duration::from_secs(60);
        for _ in 0..3 {
            assert!(b.try_take(later).is_ok());
        }
        assert!(b.try_take(later).is_err());
    }
}
