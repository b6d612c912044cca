//! Units with their names on them.

use serde::{Deserialize, Serialize};

/// A size in GiB (ARM's `diskSizeGB` is GiB).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct SizeGib(pub f64);

impl std::fmt::Display for SizeGib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 >= 1024.0 {
            write!(f, "{:.1} TiB", self.0 / 1024.0)
        } else if self.0 >= 10.0 || self.0.fract() == 0.0 {
            write!(f, "{:.0} GiB", self.0)
        } else {
            write!(f, "{:.1} GiB", self.0)
        }
    }
}

/// "3 h ago", "2 d ago", "in 5 min": a coarse, human age between two instants in seconds.
pub fn ago_text(then_unix_secs: i64, now_unix_secs: i64) -> String {
    let delta = now_unix_secs - then_unix_secs;
    let (future, secs) = (delta < 0, delta.unsigned_abs());
    let text = match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..172_800 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86_400),
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ago_text(0, 30), "30 s ago");
        assert_eq!(ago_text(0, 7200), "2 h ago");
        assert_eq!(ago_text(0, 86_400 * 9), "9 d ago");
        assert_eq!(ago_text(600, 0), "in 10 min");
        assert_eq!(SizeGib(128.0).to_string(), "128 GiB");
        assert_eq!(SizeGib(2048.0).to_string(), "2.0 TiB");
    }
}

/// A count with thousands separators: `8120` → `8,120`.
pub fn count_text(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod count_tests {
    use super::count_text;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count_text(0), "0");
        assert_eq!(count_text(999), "999");
        assert_eq!(count_text(1_000), "1,000");
        assert_eq!(count_text(8_120), "8,120");
        assert_eq!(count_text(1_234_567), "1,234,567");
    }
}
