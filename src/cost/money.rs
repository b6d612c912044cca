//! Money and sizes as people read them: `$1,234.56`, `€12.30`, `¥1,235`, `CHF 12.30`;
//! `1.9 TiB`, `30.7 GiB`.

/// An estimate: retained GiB and what they cost per month.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Amount {
    /// GiB stored.
    pub gib: f64,
    /// Per month, in the price book's currency.
    pub money: f64,
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, o: Amount) -> Amount {
        Amount {
            gib: self.gib + o.gib,
            money: self.money + o.money,
        }
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, o: Amount) {
        *self = *self + o;
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, o: Amount) -> Amount {
        Amount {
            gib: self.gib - o.gib,
            money: self.money - o.money,
        }
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::default(), |a, b| a + b)
    }
}

impl Amount {
    /// `gib` at `per_gib_month`.
    pub fn priced(gib: f64, per_gib_month: f64) -> Self {
        Self {
            gib,
            money: gib * per_gib_month,
        }
    }
}

/// The symbol written before amounts of a currency, if it has a common one.
fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" | "CNY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        _ => return None,
    })
}

/// Decimals a currency is shown with.
fn decimals(currency: &str) -> usize {
    match currency {
        "JPY" | "KRW" => 0,
        _ => 2,
    }
}

/// `1234567.891` with `decimals` → `1,234,567.89`.
fn grouped(value: f64, decimals: usize) -> String {
    // Halves round away from zero, as prices are written (`format!` rounds them to even).
    let scale = 10f64.powi(decimals as i32);
    let text = format!("{:.*}", decimals, (value.abs() * scale).round() / scale);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// An amount of money: `$1,234.56`, `-€3.10`, `¥1,235`, `CHF 12.30`.
pub fn format_money(value: f64, currency: &str) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let digits = grouped(value, decimals(currency));
    let zero = digits.chars().all(|c| matches!(c, '0' | '.' | ','));
    let sign = if value < 0.0 && !zero { "-" } else { "" };
    match symbol(currency) {
        Some(s) => format!("{sign}{s}{digits}"),
        None => format!("{sign}{currency} {digits}"),
    }
}

/// A size in GiB: `950 MiB`, `30.7 GiB`, `1.9 TiB`.
pub fn format_gib(gib: f64) -> String {
    let gib = if gib.is_finite() { gib.max(0.0) } else { 0.0 };
    if gib >= 1024.0 {
        format!("{:.1} TiB", gib / 1024.0)
    } else if gib >= 100.0 {
        format!("{gib:.0} GiB")
    } else if gib >= 1.0 {
        format!("{gib:.1} GiB")
    } else if gib > 0.0 {
        format!("{:.0} MiB", gib * 1024.0)
    } else {
        "0 GiB".to_owned()
    }
}
