//! Exports for scripts, spreadsheets and tickets: the inventory (one flat table per
//! level), the supportability assessment (every VM × mode with its verdict and reasons)
//! and the cost figures (the cost views' tables). Each is JSON or CSV from the same rows:
//! a CSV table's columns are the keys of the JSON objects of that table, in the order the
//! README lists them.
//!
//! Pure: an [`ExportJob`] reads the inventory a slice at a time (the window reads a slice
//! per frame, the command line all at once), and [`ExportData::render`] makes the text
//! wherever the caller likes (the app does it on a blocking thread).

pub mod cost;
mod fleet;
mod inventory;
mod table;

pub use fleet::{FleetJob, HEADER as FLEET_HEADER, SupportRow, fleet_table, verdict_text};
pub use inventory::{
    CollectionRow, DiskPointRow, InventoryJob, InventoryRows, Level, LoadFailure, PointRow,
    SubscriptionRow, VmRow, load_failures,
};
pub use table::{LIST_SEPARATOR, cell, keys};

use serde_json::{Value, json};

use crate::inventory::Inventory;
use crate::model::{ResourceId, Timestamp};

/// JSON or CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// The file extension, `json` or `csv`.
    pub fn ext(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
        }
    }

    /// The save dialog's filter name.
    pub fn filter(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Csv => "CSV",
        }
    }
}

/// What to export from the inventory.
#[derive(Clone, Debug, PartialEq)]
pub enum Export {
    /// The inventory: in JSON every level, in CSV one (`level`).
    Inventory { format: Format, level: Level },
    /// The supportability assessment of `vms` (every VM when `None`).
    Fleet {
        format: Format,
        vms: Option<Vec<ResourceId>>,
    },
}

impl Export {
    /// JSON or CSV.
    pub fn format(&self) -> Format {
        match self {
            Self::Inventory { format, .. } | Self::Fleet { format, .. } => *format,
        }
    }

    /// `rpdesk-inventory.json`, `rpdesk-inventory-points.csv`, `rpdesk-supportability.csv`.
    pub fn file_name(&self) -> String {
        match self {
            Self::Inventory {
                format: Format::Json,
                ..
            } => "rpdesk-inventory.json".into(),
            Self::Inventory { format, level } => {
                format!("rpdesk-inventory-{}.{}", level.name(), format.ext())
            }
            Self::Fleet {
                format,
                vms: Some(vms),
            } if vms.len() == 1 => format!(
                "rpdesk-supportability-{}.{}",
                crate::cost::file_part(vms[0].name()),
                format.ext()
            ),
            Self::Fleet { format, .. } => format!("rpdesk-supportability.{}", format.ext()),
        }
    }

    /// The save dialog's title.
    pub fn title(&self) -> &'static str {
        match self {
            Self::Inventory { .. } => "Export the inventory",
            Self::Fleet { .. } => "Export supportability",
        }
    }
}

/// Who made an export, from what, and when: the JSON document's first fields.
#[derive(Clone, Debug)]
pub struct Meta {
    /// The connection (`Demo`, `Azure`, an endpoint).
    pub connection: String,
    /// When, Unix seconds.
    pub generated_unix: i64,
}

impl Meta {
    fn json(&self, export: &str) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("export".into(), json!(export));
        m.insert("format_version".into(), json!(1));
        m.insert(
            "generated".into(),
            json!(Timestamp::from_unix_secs(self.generated_unix).to_rfc3339()),
        );
        m.insert("connection".into(), json!(self.connection));
        m
    }
}

/// An export being read from the inventory.
#[derive(Debug)]
pub enum ExportJob {
    Inventory(InventoryJob),
    Fleet(FleetJob),
}

/// Inventory rows read per slice.
const ROWS_PER_SLICE: usize = 500;
/// VMs assessed per slice (a VM's facts and both assessments take about 45 µs).
const VMS_PER_SLICE: usize = 20;

impl ExportJob {
    /// Starts reading what `export` needs.
    pub fn new(inv: &Inventory, export: &Export, now_unix: i64) -> Self {
        match export {
            Export::Inventory { .. } => Self::Inventory(InventoryJob::new(inv)),
            Export::Fleet { vms, .. } => Self::Fleet(FleetJob::new(inv, vms.clone(), now_unix)),
        }
    }

    /// Reads one slice (well under a millisecond's work at a time); true once all is read.
    pub fn step(&mut self, inv: &Inventory) -> bool {
        match self {
            Self::Inventory(j) => j.step(inv, ROWS_PER_SLICE),
            Self::Fleet(j) => j.step(inv, VMS_PER_SLICE),
        }
    }

    /// Reads everything now (the command line).
    pub fn run(mut self, inv: &Inventory) -> ExportData {
        while !self.step(inv) {}
        self.finish()
    }

    /// Items read, of how many.
    pub fn progress(&self) -> (usize, usize) {
        match self {
            Self::Inventory(j) => j.progress(),
            Self::Fleet(j) => j.progress(),
        }
    }

    /// What was read.
    pub fn finish(self) -> ExportData {
        match self {
            Self::Inventory(j) => ExportData::Inventory(j.finish()),
            Self::Fleet(j) => ExportData::Fleet(j.finish()),
        }
    }
}

/// What an export read, ready to render.
#[derive(Clone, Debug)]
pub enum ExportData {
    Inventory(InventoryRows),
    Fleet(Vec<SupportRow>),
}

impl ExportData {
    /// The export's text: JSON (every table), or CSV (`level`'s table for the inventory).
    pub fn render(&self, format: Format, level: Level, meta: &Meta) -> String {
        match (self, format) {
            (Self::Inventory(rows), Format::Csv) => rows.table(level).to_csv(),
            (Self::Fleet(rows), Format::Csv) => fleet_table(rows).to_csv(),
            (Self::Inventory(rows), Format::Json) => {
                let mut doc = meta.json("inventory");
                if let Value::Object(tables) = serde_json::to_value(rows).unwrap_or(Value::Null) {
                    doc.extend(tables);
                }
                pretty(Value::Object(doc))
            }
            (Self::Fleet(rows), Format::Json) => {
                let mut doc = meta.json("fleet");
                doc.insert("assessments".into(), json!(rows));
                pretty(Value::Object(doc))
            }
        }
    }
}

/// The cost export's JSON document.
pub fn cost_document(
    estate: &crate::cost::CostEstate,
    model: &crate::cost::CostModel,
    meta: &Meta,
) -> String {
    let mut doc = meta.json("cost");
    if let Value::Object(rest) = cost::cost_json(estate, model) {
        doc.extend(rest);
    }
    pretty(Value::Object(doc))
}

/// Indented JSON with a final newline.
fn pretty(value: Value) -> String {
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
