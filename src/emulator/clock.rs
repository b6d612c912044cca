//! The virtual clock: emulated time runs `speed` times faster than real time and can be
//! advanced by the admin API, so hour-long throttles and frequency limits are testable
//! without waiting. All emulator timestamps are virtual unix seconds (`f64`).

use std::time::Instant;

use time::OffsetDateTime;

#[derive(Clone, Debug)]
pub struct VirtualClock {
    origin_real: Instant,
    origin_virtual: f64,
    speed: f64,
}

impl VirtualClock {
    /// A clock that starts at `start` (virtual unix seconds) and runs at `speed`.
    pub fn new(start: f64, speed: f64) -> Self {
        Self {
            origin_real: Instant::now(),
            origin_virtual: start,
            speed: sanitize_speed(speed),
        }
    }

    /// Wall-clock unix seconds now.
    pub fn wall_now() -> f64 {
        let now = OffsetDateTime::now_utc();
        now.unix_timestamp() as f64 + f64::from(now.nanosecond()) / 1e9
    }

    pub fn now(&self) -> f64 {
        self.origin_virtual + self.origin_real.elapsed().as_secs_f64() * self.speed
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Jumps the virtual time forward; negative or non-finite values are ignored.
    pub fn advance(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            self.origin_virtual += seconds;
        }
    }

    pub fn set_speed(&mut self, speed: f64) {
        // Re-anchor so that changing the speed does not move the current virtual time.
        let now = self.now();
        self.origin_real = Instant::now();
        self.origin_virtual = now;
        self.speed = sanitize_speed(speed);
    }

    /// Real seconds a client must wait for `virtual_secs` to pass: rounded up, at least 1.
    pub fn real_wait(&self, virtual_secs: f64) -> u64 {
        let real = (virtual_secs / self.speed).ceil();
        if real.is_finite() && real >= 1.0 {
            real.min(86_400.0) as u64
        } else {
            1
        }
    }
}

/// Fastest and slowest clock a command line may ask for.
const SPEEDS: std::ops::RangeInclusive<f64> = 0.01..=100_000.0;

/// A clock speed from a command line (`--speed`): a number from 0.01 to 100000. Zero,
/// negative, `NaN` and infinite speeds are refused rather than quietly replaced.
pub fn parse_speed(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && SPEEDS.contains(&v) => Ok(v),
        _ => Err(format!(
            "{text:?} is not a clock speed from {} to {}",
            SPEEDS.start(),
            SPEEDS.end()
        )),
    }
}

fn sanitize_speed(speed: f64) -> f64 {
    if speed.is_finite() && speed > 0.0 {
        speed.min(1_000_000.0)
    } else {
        1.0
    }
}

/// RFC 3339 text with 7 fractional digits and `+00:00`, as ARM prints times.
pub fn arm_time(unix: f64) -> String {
    let secs = unix.floor();
    let nanos = ((unix - secs) * 1e9) as i64;
    let t = OffsetDateTime::from_unix_timestamp(secs as i64).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        + time::Duration::nanoseconds(nanos);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    )
}

/// Short RFC 3339 (`...Z`) used inside SAS URLs.
pub fn sas_time(unix: f64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix as i64).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_real_seconds_rounded_up() {
        let c = VirtualClock::new(0.0, 60.0);
        assert_eq!(c.real_wait(3600.0), 60);
        assert_eq!(c.real_wait(61.0), 2);
        assert_eq!(c.real_wait(0.0), 1);
    }

    #[test]
    fn advance_moves_time_forward_only() {
        let mut c = VirtualClock::new(1000.0, 1.0);
        c.advance(-5.0);
        c.advance(f64::NAN);
        assert!(c.now() >= 1000.0 && c.now() < 1001.0);
        c.advance(3600.0);
        assert!(c.now() >= 4600.0);
    }

    #[test]
    fn arm_time_has_seven_fraction_digits() {
        assert_eq!(arm_time(0.5), "1970-01-01T00:00:00.5000000+00:00");
    }
}
