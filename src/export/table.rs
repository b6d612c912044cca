//! One row type per table, two renderings: a JSON array of objects (the row serialized),
//! and a CSV table whose columns are those objects' keys in a fixed order. A cell's text
//! in CSV: empty for null, `true`/`false`, the number, or a list's items joined by
//! [`LIST_SEPARATOR`].

use serde::Serialize;
use serde_json::Value;

use crate::csv::Table;

/// How a list (excluded disks, rules, reasons) is written in one CSV cell.
pub const LIST_SEPARATOR: &str = " | ";

/// The CSV table of `rows`, columns in `header`'s order (each a key of the row's JSON).
pub fn table<T: Serialize>(header: &[&str], rows: &[T]) -> Table {
    let mut t = Table::new(header);
    for row in rows {
        let value = serde_json::to_value(row).unwrap_or(Value::Null);
        t.push(
            header
                .iter()
                .map(|h| value.get(*h).map(cell).unwrap_or_default())
                .collect(),
        );
    }
    t
}

/// A JSON value as one CSV cell.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(cell)
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        Value::Object(_) => value.to_string(),
    }
}

/// The keys of a row's JSON object, sorted (tests compare them with a header).
pub fn keys<T: Serialize>(row: &T) -> Vec<String> {
    let mut keys: Vec<String> = match serde_json::to_value(row) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: String,
        size_gib: Option<f64>,
        excluded: Vec<String>,
        ok: bool,
    }

    #[test]
    fn a_row_becomes_one_csv_line_in_the_header_order() {
        let rows = [
            Row {
                name: "vm, one".into(),
                size_gib: Some(128.0),
                excluded: vec!["a".into(), "b".into()],
                ok: true,
            },
            Row {
                name: "vm2".into(),
                size_gib: None,
                excluded: vec![],
                ok: false,
            },
        ];
        let csv = table(&["ok", "name", "size_gib", "excluded"], &rows).to_csv();
        assert_eq!(
            csv,
            "ok,name,size_gib,excluded\ntrue,\"vm, one\",128.0,a | b\nfalse,vm2,,\n"
        );
        assert_eq!(keys(&rows[0]), ["excluded", "name", "ok", "size_gib"]);
    }
}
