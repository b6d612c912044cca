//! The cost figures as one JSON document: which prices (and from where and when), the
//! assumptions, both policies, the totals, and every table the cost views export as CSV
//! ([`crate::cost::TABLES`], made by [`crate::cost::table`]) as arrays of objects, sizes
//! and money as numbers.

use serde_json::{Map, Value, json};

use crate::cost::{CostEstate, CostModel, PriceBook, PriceSource, TABLES, table};
use crate::csv::Table;
use crate::model::Timestamp;

/// Where a price book's prices come from: `live`, `cache` or `embedded`, the endpoint,
/// and when they were taken (RFC 3339, or the embedded table's date).
pub fn price_source(book: &PriceBook) -> (&'static str, Option<String>, String) {
    match &book.source {
        PriceSource::Live {
            endpoint,
            fetched_unix,
        } => (
            "live",
            Some(endpoint.clone()),
            Timestamp::from_unix_secs(*fetched_unix).to_rfc3339(),
        ),
        PriceSource::Cache {
            endpoint,
            fetched_unix,
        } => (
            "cache",
            Some(endpoint.clone()),
            Timestamp::from_unix_secs(*fetched_unix).to_rfc3339(),
        ),
        PriceSource::Embedded => ("embedded", None, crate::cost::EMBEDDED_AS_OF.to_owned()),
    }
}

/// The whole cost export of `model` (computed over `estate`).
pub fn cost_json(estate: &CostEstate, model: &CostModel) -> Value {
    let inputs = &model.inputs;
    let (source, endpoint, as_of) = price_source(&inputs.prices);
    let policy = |i: usize| {
        let p = &inputs.policies[i];
        let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.insert("description".into(), json!(p.describe()));
        }
        v
    };
    let mut tables = Map::new();
    for (_, part) in TABLES {
        if let Some(t) = table(part, estate, model) {
            tables.insert((*part).to_owned(), rows_json(&t));
        }
    }
    json!({
        "currency": inputs.prices.currency,
        "prices": {
            "source": source,
            "endpoint": endpoint,
            "as_of": as_of,
            "note": inputs.prices.note,
        },
        "assumptions": inputs.assumptions,
        "policies": { "a": policy(0), "b": policy(1) },
        "totals": {
            "points": model.rollup.points,
            "gib": model.rollup.total.gib,
            "per_month": model.rollup.total.money,
        },
        "tables": tables,
    })
}

/// A cost table as an array of objects keyed by its header; numeric columns as numbers.
pub fn rows_json(t: &Table) -> Value {
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let object: Map<String, Value> = t
                .header
                .iter()
                .zip(row)
                .map(|(h, cell)| (h.clone(), cell_json(h, cell)))
                .collect();
            Value::Object(object)
        })
        .collect();
    Value::Array(rows)
}

/// Whether a cost table's column holds numbers (sizes, money, counts, shares, months).
fn is_numeric(header: &str) -> bool {
    matches!(
        header,
        "gib" | "points" | "per_month" | "share_of_collection" | "month" | "months_from_now"
    ) || header.ends_with("_gib")
        || header.ends_with("_per_month")
        || header.ends_with("/month)")
}

/// A numeric column's cell as a number when it is one (`steady` stays text).
fn cell_json(header: &str, cell: &str) -> Value {
    if is_numeric(header)
        && let Ok(n) = cell.parse::<f64>()
        && let Some(n) = serde_json::Number::from_f64(n)
    {
        return Value::Number(n);
    }
    Value::String(cell.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_columns_become_numbers_and_the_rest_stays_text() {
        let mut t = Table::new(&["month", "collection", "gib", "total (USD/month)"]);
        t.push(vec![
            "0".into(),
            "007".into(),
            "1.5000".into(),
            "2.25".into(),
        ]);
        t.push(vec!["steady".into(), "x".into(), "0".into(), "0".into()]);
        let v = rows_json(&t);
        assert_eq!(v[0]["month"], json!(0.0));
        assert_eq!(v[0]["collection"], json!("007"));
        assert_eq!(v[0]["gib"], json!(1.5));
        assert_eq!(v[0]["total (USD/month)"], json!(2.25));
        assert_eq!(v[1]["month"], json!("steady"));
    }
}
