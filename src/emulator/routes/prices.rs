//! `GET /api/retail/prices`: the Azure Retail Prices API as the demo serves it, without a
//! token like the real one. Its price sheet is illustrative (USD figures near Azure's
//! $0.05 per GB-month for snapshot storage, varied by region so the demo shows regions
//! apart; other currencies converted at fixed demo rates), not Azure's prices. It has the
//! rows a careless client would confuse with restore point storage: the same meter names
//! under other products, and other Standard HDD meters.
//!
//! Supported: `$filter` with `eq`, `contains(field, 'text')`, `and`, `or` and parentheses
//! over the fields rpdesk sends (`serviceName`, `priceType`, `armRegionName`,
//! `productName`, `skuName`, `meterName`, …; values case-sensitive from api-version
//! 2023-01-01-preview, as Azure's), `currencyCode='EUR'`, `$skip`, pages of the emulator's
//! page size with `NextPageLink`, `Count` and `BillingCurrency`.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::request::{Reply, Req};

/// The path of the price list.
pub const PATH: &str = "/api/retail/prices";

/// Whether a request is for the price list (no token needed).
pub fn is_prices_path(path: &str) -> bool {
    path.trim_end_matches('/').eq_ignore_ascii_case(PATH)
}

/// Regions on the sheet: ARM name, display location, USD per GB-month of snapshot storage.
const REGIONS: &[(&str, &str, f64)] = &[
    ("eastus", "US East", 0.05),
    ("eastus2", "US East 2", 0.05),
    ("centralus", "US Central", 0.05),
    ("westus", "US West", 0.055),
    ("westus2", "US West 2", 0.05),
    ("northcentralus", "US North Central", 0.055),
    ("westcentralus", "US West Central", 0.055),
    ("southcentralus", "US South Central", 0.05),
    ("northeurope", "EU North", 0.052),
    ("westeurope", "EU West", 0.056),
    ("uksouth", "UK South", 0.058),
    ("japaneast", "JA East", 0.06),
    ("australiaeast", "AU East", 0.062),
    ("southeastasia", "AP Southeast", 0.06),
];

/// Demo exchange rates from USD.
const CURRENCIES: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 0.92),
    ("GBP", 0.79),
    ("JPY", 150.0),
    ("AUD", 1.52),
    ("CAD", 1.36),
    ("CHF", 0.88),
    ("INR", 83.0),
    ("SEK", 10.5),
    ("NOK", 10.6),
    ("DKK", 6.9),
    ("BRL", 5.0),
    ("KRW", 1330.0),
    ("NZD", 1.65),
    ("CNY", 7.2),
    ("TWD", 31.5),
];

/// Rows per region: product, SKU, meter, unit, price as a multiple of the region's
/// snapshot price (a negative number is an absolute USD price).
const ROWS: &[(&str, &str, &str, &str, f64)] = &[
    (
        "Standard HDD Managed Disks",
        "Snapshots LRS",
        "LRS Snapshots",
        "1 GB/Month",
        1.0,
    ),
    (
        "Standard HDD Managed Disks",
        "Snapshots ZRS",
        "ZRS Snapshots",
        "1 GB/Month",
        1.0,
    ),
    (
        "Standard HDD Managed Disks",
        "S4 LRS",
        "S4 LRS Disk",
        "1/Month",
        -1.54,
    ),
    (
        "Premium SSD Managed Disks",
        "Snapshots LRS",
        "LRS Snapshots",
        "1 GB/Month",
        2.64,
    ),
    (
        "Premium SSD Managed Disks",
        "Snapshots ZRS",
        "ZRS Snapshots",
        "1 GB/Month",
        3.96,
    ),
    (
        "Standard SSD Managed Disks",
        "Snapshots LRS",
        "Snapshots LRS Snapshots",
        "1 GB/Month",
        2.64,
    ),
];

fn row(
    region: &(&str, &str, f64),
    spec: &(&str, &str, &str, &str, f64),
    rate: f64,
    currency: &str,
    i: usize,
) -> Value {
    let (arm, location, snapshot) = *region;
    let (product, sku, meter, unit, factor) = *spec;
    let usd = if factor < 0.0 {
        -factor
    } else {
        snapshot * factor
    };
    let price = (usd * rate * 10_000.0).round() / 10_000.0;
    let product_id = format!(
        "DZH318Z0BP{:02}",
        ROWS.iter().position(|r| r.0 == product).unwrap_or(0)
    );
    json!({
        "currencyCode": currency,
        "tierMinimumUnits": 0.0,
        "retailPrice": price,
        "unitPrice": price,
        "armRegionName": arm,
        "location": location,
        "effectiveStartDate": "2025-06-01T00:00:00Z",
        "meterId": format!("00000000-0000-4000-8000-{:012x}", i + 1),
        "meterName": meter,
        "productId": product_id,
        "skuId": format!("{product_id}/{:04}", ROWS.iter().position(|r| r.1 == sku && r.0 == product).unwrap_or(0)),
        "productName": product,
        "skuName": sku,
        "serviceName": "Storage",
        "serviceId": "DZH317F1HKN0",
        "serviceFamily": "Storage",
        "unitOfMeasure": unit,
        "type": "Consumption",
        "isPrimaryMeterRegion": true,
        "armSkuName": ""
    })
}

/// The whole sheet in a currency.
fn sheet(currency: &str, rate: f64) -> Vec<Value> {
    let mut out = Vec::new();
    for region in REGIONS {
        for spec in ROWS {
            let i = out.len();
            out.push(row(region, spec, rate, currency, i));
        }
    }
    out
}

/// Answers a price list request.
pub fn handle(req: &Req, base_url: &str, page_size: usize) -> ArmResult<Reply> {
    if req.method != Method::GET {
        return Err(ArmError::method_not_allowed());
    }
    let currency = req
        .q("currencyCode")
        .map(|c| c.trim().trim_matches('\'').to_ascii_uppercase())
        .unwrap_or_else(|| "USD".to_owned());
    let rate = CURRENCIES
        .iter()
        .find(|(c, _)| *c == currency)
        .map(|(_, r)| *r)
        .ok_or_else(|| {
            ArmError::bad_request(
                "InvalidCurrencyCode",
                format!("The currency code '{currency}' is not supported."),
            )
        })?;
    // Filter values are case-sensitive from 2023-01-01-preview on.
    let case_sensitive = req
        .q("api-version")
        .is_some_and(|v| v.get(..10).is_some_and(|d| d >= "2023-01-01"));
    let filter = match req.q("$filter").filter(|f| !f.trim().is_empty()) {
        Some(text) => Some(parse(text)?),
        None => None,
    };
    let items: Vec<Value> = sheet(&currency, rate)
        .into_iter()
        .filter(|item| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(item, case_sensitive))
        })
        .collect();
    let skip = match req.q("$skip") {
        None => 0,
        Some(s) => s.trim().parse::<usize>().map_err(|_| {
            ArmError::bad_request("InvalidSkip", format!("'{s}' is not a valid $skip."))
        })?,
    };
    let end = skip.saturating_add(page_size.max(1)).min(items.len());
    let page: Vec<Value> = items
        .get(skip.min(items.len())..end)
        .unwrap_or(&[])
        .to_vec();
    let next = if end < items.len() {
        let mut url = url::Url::parse(&format!("{base_url}{}", req.path))
            .map_err(|e| ArmError::internal(format!("cannot build NextPageLink: {e}")))?;
        {
            let mut q = url.query_pairs_mut();
            for (k, v) in &req.query {
                if !k.eq_ignore_ascii_case("$skip") {
                    q.append_pair(k, v);
                }
            }
            q.append_pair("$skip", &end.to_string());
        }
        Value::String(url.to_string())
    } else {
        Value::Null
    };
    Ok(Reply::ok(json!({
        "BillingCurrency": currency,
        "CustomerEntityId": "Default",
        "CustomerEntityType": "Retail",
        "Items": page,
        "NextPageLink": next,
        "Count": page.len(),
    })))
}

/// A parsed `$filter`.
#[derive(Debug, PartialEq)]
enum Filter {
    Eq(&'static str, String),
    Contains(&'static str, String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

impl Filter {
    fn matches(&self, item: &Value, case_sensitive: bool) -> bool {
        let text = |field: &str| item.get(field).and_then(Value::as_str).unwrap_or_default();
        let same = |a: &str, b: &str| {
            if case_sensitive {
                a == b
            } else {
                a.eq_ignore_ascii_case(b)
            }
        };
        match self {
            Filter::Eq(field, value) => same(text(field), value),
            Filter::Contains(field, value) => {
                if case_sensitive {
                    text(field).contains(value.as_str())
                } else {
                    text(field).to_lowercase().contains(&value.to_lowercase())
                }
            }
            Filter::And(a, b) => a.matches(item, case_sensitive) && b.matches(item, case_sensitive),
            Filter::Or(a, b) => a.matches(item, case_sensitive) || b.matches(item, case_sensitive),
        }
    }
}

/// Filter fields and the item field each reads.
const FIELDS: &[(&str, &str)] = &[
    ("serviceName", "serviceName"),
    ("serviceFamily", "serviceFamily"),
    ("serviceId", "serviceId"),
    ("priceType", "type"),
    ("armRegionName", "armRegionName"),
    ("location", "location"),
    ("productName", "productName"),
    ("productId", "productId"),
    ("skuName", "skuName"),
    ("skuId", "skuId"),
    ("armSkuName", "armSkuName"),
    ("meterName", "meterName"),
    ("meterId", "meterId"),
    ("currencyCode", "currencyCode"),
];

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
    Comma,
}

fn invalid(message: impl Into<String>) -> ArmError {
    ArmError::new(StatusCode::BAD_REQUEST, "InvalidFilter", message)
}

fn tokens(text: &str) -> ArmResult<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '\'' => {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            value.push('\'');
                        }
                        Some('\'') => break,
                        Some(ch) => value.push(ch),
                        None => return Err(invalid("A string in $filter is not closed.")),
                    }
                }
                out.push(Token::Text(value));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            other => return Err(invalid(format!("Unexpected '{other}' in $filter."))),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<&Token> {
        let t = self.tokens.get(self.at);
        self.at += 1;
        t
    }

    fn require(&mut self, want: Token, what: &str) -> ArmResult<()> {
        match self.next() {
            Some(t) if *t == want => Ok(()),
            _ => Err(invalid(format!("Expected {what} in $filter."))),
        }
    }

    fn field(&mut self) -> ArmResult<&'static str> {
        match self.next() {
            Some(Token::Word(w)) => FIELDS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(w))
                .map(|(_, field)| *field)
                .ok_or_else(|| invalid(format!("'{w}' is not a field that can be filtered on."))),
            _ => Err(invalid("Expected a field name in $filter.")),
        }
    }

    fn text(&mut self) -> ArmResult<String> {
        match self.next() {
            Some(Token::Text(t)) => Ok(t.clone()),
            _ => Err(invalid("Expected a quoted value in $filter.")),
        }
    }

    fn or(&mut self) -> ArmResult<Filter> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> ArmResult<Filter> {
        let mut left = self.primary()?;
        while self.peek_word("and") {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.primary()?));
        }
        Ok(left)
    }

    fn primary(&mut self) -> ArmResult<Filter> {
        if matches!(self.tokens.get(self.at), Some(Token::Open)) {
            self.at += 1;
            let inner = self.or()?;
            self.require(Token::Close, "')'")?;
            return Ok(inner);
        }
        if self.peek_word("contains") {
            self.at += 1;
            self.require(Token::Open, "'(' after contains")?;
            let field = self.field()?;
            self.require(Token::Comma, "',' in contains")?;
            let value = self.text()?;
            self.require(Token::Close, "')' after contains")?;
            return Ok(Filter::Contains(field, value));
        }
        let field = self.field()?;
        if !self.peek_word("eq") {
            return Err(invalid(
                "Only 'eq' and contains() are supported in $filter.",
            ));
        }
        self.at += 1;
        Ok(Filter::Eq(field, self.text()?))
    }
}

fn parse(text: &str) -> ArmResult<Filter> {
    let mut p = Parser {
        tokens: tokens(text)?,
        at: 0,
    };
    let filter = p.or()?;
    if p.at < p.tokens.len() {
        return Err(invalid("Unexpected text at the end of $filter."));
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_with_precedence_and_quotes() {
        let f = parse(
            "serviceName eq 'Storage' and (skuName eq 'It''s' or contains(meterName, 'Snap'))",
        )
        .expect("parses");
        let item =
            json!({ "serviceName": "Storage", "skuName": "x", "meterName": "LRS Snapshots" });
        assert!(f.matches(&item, true));
        let other =
            json!({ "serviceName": "storage", "skuName": "x", "meterName": "LRS Snapshots" });
        assert!(!f.matches(&other, true), "values are case-sensitive");
        assert!(f.matches(&other, false));
        assert!(parse("bogus eq 'x'").is_err());
        assert!(parse("skuName gt 'x'").is_err());
        assert!(parse("skuName eq 'x").is_err());
    }

    #[test]
    fn the_sheet_has_snapshot_rows_and_look_alikes_in_every_region() {
        let items = sheet("USD", 1.0);
        assert_eq!(items.len(), REGIONS.len() * ROWS.len());
        let lookalikes = items
            .iter()
            .filter(|i| {
                i["meterName"] == "LRS Snapshots"
                    && i["productName"] != "Standard HDD Managed Disks"
            })
            .count();
        assert_eq!(lookalikes, REGIONS.len());
    }
}
