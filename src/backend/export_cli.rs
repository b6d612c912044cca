//! `rpdesk export`: the inventory, the supportability assessment or the cost figures
//! without a window. The inventory is loaded by the app's own loader ([`Headless`]), the
//! tables are the window's exports ([`crate::export`], [`crate::cost::table`]), prices come
//! from the same loader as the cost views. Output goes to stdout or `--output FILE`
//! (written whole or not at all); a failure is one line on stderr and an exit code a
//! script can act on.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::headless::Headless;
use super::prices::{PricesRequest, load_prices, prices_target};
use super::{ConnectionSpec, connect};
use crate::arm::{ClientOptions, DEFAULT_PAGE_SIZE};
use crate::auth::{BearerToken, Cloud};
use crate::cost::{
    AssumptionSet, Assumptions, CURRENCIES, CostInputs, DEFAULT_DAILY_CHURN, DEFAULT_USED_FRACTION,
    Policy, Scope, TABLES,
};
use crate::export::{Export, ExportJob, Format, Level, Meta, load_failures};

/// Written as asked.
pub const EXIT_OK: i32 = 0;
/// Anything else: the output could not be written, the loader stopped.
pub const EXIT_FAILED: i32 = 1;
/// The command line is wrong (clap's own code for usage errors).
pub const EXIT_USAGE: i32 = 2;
/// The endpoint did not answer (refused, unreachable, timed out, no such host).
pub const EXIT_UNREACHABLE: i32 = 3;
/// Written, but some lists could not be read: the export lacks what they hold.
pub const EXIT_PARTIAL: i32 = 4;
/// Signing in failed, or the endpoint refused the token (401/403).
pub const EXIT_AUTH: i32 = 5;
/// The endpoint answered the subscription list with another error, or not as ARM does.
pub const EXIT_SERVER: i32 = 6;

/// The exit codes, for `--help`.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  written
  1  failed otherwise (the output could not be written…)
  2  bad arguments
  3  the endpoint did not answer
  4  written, but some lists could not be read (stderr says which)
  5  signing in failed, or the endpoint refused the token (401/403)
  6  the endpoint answered with another error, or not as ARM does";

/// The exit code for a subscription list that failed with `e`.
pub fn exit_code_for(e: &crate::inventory::ErrorInfo) -> i32 {
    match e.status {
        None => EXIT_UNREACHABLE,
        Some(401 | 403) => EXIT_AUTH,
        Some(_) => EXIT_SERVER,
    }
}

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Subscriptions, VMs, collections, restore points, disk restore points.
    Inventory,
    /// Supportability: every VM × consistency mode, verdict and reasons.
    Fleet,
    /// Retention cost: prices, totals, both policies, every cost table.
    Cost,
}

/// `rpdesk export` options.
#[derive(Clone, Debug, clap::Args)]
#[command(after_help = EXIT_CODES_HELP)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub what: What,
    /// JSON (every table) or CSV (one table).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// With --format csv, the table. Inventory: subscriptions, vms, collections, points
    /// (default), disk-points. Cost: collections (default), points, disk-points, totals,
    /// policies, projection-a, projection-b, cleanup-a, cleanup-b.
    #[arg(long, value_name = "TABLE")]
    pub table: Option<String>,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Real Azure (Azure CLI login, then environment service principal, workload
    /// identity, managed identity).
    #[arg(long, conflicts_with = "endpoint")]
    pub azure: bool,
    /// Which Azure cloud, with --azure.
    #[arg(long, value_enum, default_value_t = Cloud::Public)]
    pub cloud: Cloud,
    /// Any ARM-compatible endpoint (https, or http on loopback).
    #[arg(long, requires = "token")]
    pub endpoint: Option<String>,
    /// Bearer token for --endpoint (or RPDESK_TOKEN).
    #[arg(long, env = "RPDESK_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Without --azure or --endpoint: the demo estate (`demo`, as shipped) or `large:N`.
    #[arg(long, default_value = "demo")]
    pub estate: String,
    /// Where cached prices are kept (`prices/` inside; default: the user's data folder).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where cost prices come from: a Retail Prices endpoint, or `offline` for the cache
    /// and the embedded table (default: the demo's emulator, else prices.azure.com).
    #[arg(long, value_name = "URL|offline")]
    pub prices_endpoint: Option<String>,
    /// Currency of the cost figures.
    #[arg(long, default_value = "USD")]
    pub currency: String,
    /// Cost policy A, EVERY:KEEP[:MODE]: a point every EVERY hours, the newest KEEP
    /// (or KEEPd days) kept, app or crash.
    #[arg(long, value_name = "SPEC", default_value = "24h:30")]
    pub policy_a: String,
    /// Cost policy B, as policy A.
    #[arg(long, value_name = "SPEC", default_value = "24h:7")]
    pub policy_b: String,
    /// Share of each disk that holds data (0–1).
    #[arg(long, value_name = "FRACTION", default_value_t = DEFAULT_USED_FRACTION)]
    pub used_fraction: f64,
    /// Share of the used data that changes per day (0–1).
    #[arg(long, value_name = "FRACTION", default_value_t = DEFAULT_DAILY_CHURN)]
    pub daily_churn: f64,
    /// Also read the points of collections in a subscription-region near Azure's 10,000
    /// collections, which rpdesk otherwise reads on demand (minutes at ARM's read rate).
    #[arg(long)]
    pub read_all: bool,
}

/// Why the export stopped: the exit code and one line for stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub reason: String,
}

fn fail(code: i32, reason: impl Into<String>) -> Failure {
    Failure {
        code,
        reason: reason.into(),
    }
}

/// Runs the export; returns the exit code (the reason, if any, is on stderr).
pub async fn run(args: ExportArgs) -> i32 {
    match export(args).await {
        Ok(None) => EXIT_OK,
        Ok(Some(partial)) => {
            say(&partial);
            EXIT_PARTIAL
        }
        Err(f) => {
            say(&f.reason);
            f.code
        }
    }
}

/// One line on stderr.
fn say(text: &str) {
    let line: Vec<&str> = text.split_whitespace().collect();
    eprintln!("rpdesk export: {}", line.join(" "));
}

/// What the CSV or JSON is made of, checked before anything is loaded.
enum Plan {
    Inventory(Level),
    Fleet,
    Cost {
        table: Option<&'static str>,
        inputs: Box<CostSettings>,
    },
}

struct CostSettings {
    policies: [Policy; 2],
    assumptions: Assumptions,
    currency: String,
}

fn plan(args: &ExportArgs) -> Result<Plan, Failure> {
    let usage = |why: String| fail(EXIT_USAGE, why);
    if args.format == Format::Json && args.table.is_some() {
        return Err(usage(
            "--table picks a CSV table; the JSON holds every table".into(),
        ));
    }
    let table = args.table.as_deref().map(str::to_ascii_lowercase);
    Ok(match args.what {
        What::Inventory => Plan::Inventory(match table.as_deref() {
            None => Level::Points,
            Some(t) => *Level::ALL.iter().find(|l| l.name() == t).ok_or_else(|| {
                let names: Vec<&str> = Level::ALL.iter().map(|l| l.name()).collect();
                usage(format!(
                    "no inventory table {t:?}; the tables are {}",
                    names.join(", ")
                ))
            })?,
        }),
        What::Fleet => {
            if table.is_some() {
                return Err(usage("the fleet export is one table: drop --table".into()));
            }
            Plan::Fleet
        }
        What::Cost => {
            let table = match table.as_deref() {
                None if args.format == Format::Csv => Some("collections"),
                None => None,
                Some(t) => Some(
                    TABLES
                        .iter()
                        .map(|(_, p)| *p)
                        .find(|p| *p == t)
                        .ok_or_else(|| {
                            let names: Vec<&str> = TABLES.iter().map(|(_, p)| *p).collect();
                            usage(format!(
                                "no cost table {t:?}; the tables are {}",
                                names.join(", ")
                            ))
                        })?,
                ),
            };
            let currency = args.currency.trim().to_ascii_uppercase();
            if !CURRENCIES.contains(&currency.as_str()) {
                return Err(usage(format!(
                    "currency {currency:?} is not one the price list serves ({})",
                    CURRENCIES.join(", ")
                )));
            }
            for (name, v) in [
                ("--used-fraction", args.used_fraction),
                ("--daily-churn", args.daily_churn),
            ] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(usage(format!("{name} is a fraction from 0 to 1, not {v}")));
                }
            }
            let policies = [
                Policy::parse_spec(&args.policy_a).map_err(usage)?,
                Policy::parse_spec(&args.policy_b).map_err(usage)?,
            ];
            Plan::Cost {
                table,
                inputs: Box::new(CostSettings {
                    policies,
                    assumptions: Assumptions {
                        used_fraction: args.used_fraction,
                        daily_churn: args.daily_churn,
                    },
                    currency,
                }),
            }
        }
    })
}

fn connection(args: &ExportArgs) -> Result<ConnectionSpec, Failure> {
    if args.azure {
        return Ok(ConnectionSpec::Azure { cloud: args.cloud });
    }
    if let Some(endpoint) = &args.endpoint {
        crate::model::validate_endpoint(endpoint).map_err(|e| fail(EXIT_USAGE, e))?;
        return Ok(ConnectionSpec::Custom {
            endpoint: endpoint.trim().to_owned(),
            token: BearerToken::new(args.token.clone().unwrap_or_default()),
        });
    }
    args.estate
        .parse::<crate::emulator::EstateSpec>()
        .map_err(|e| fail(EXIT_USAGE, format!("--estate {}: {e}", args.estate)))?;
    Ok(ConnectionSpec::Demo {
        estate: args.estate.clone(),
        state_file: None,
        speed: 1.0,
    })
}

/// Loads, builds and writes; `Ok(Some(reason))` when written from a partial inventory.
async fn export(args: ExportArgs) -> Result<Option<String>, Failure> {
    let plan = plan(&args)?;
    let spec = connection(&args)?;
    let info = connect(spec.clone(), ClientOptions::default())
        .await
        .map_err(|e| {
            let mut reason = format!("cannot connect to {}: {}", spec.label(), e.summary());
            if !e.details.is_empty() {
                reason.push_str(&format!(" ({})", e.details.join("; ")));
            }
            // Only signing in (Azure) or starting the demo's emulator can fail here.
            let code = match spec {
                ConnectionSpec::Azure { .. } => EXIT_AUTH,
                _ => EXIT_FAILED,
            };
            fail(code, reason)
        })?;
    let base_url = info.client.base_url().to_string();
    let mut loader = Headless::new(info.client.clone());
    let mut loaded = loader.load_all().await;
    let unread = loader.inventory.progress().collections_on_demand;
    if loaded.is_ok() && unread > 0 {
        if args.read_all {
            loaded = loader.read_on_demand().await;
        } else {
            say(&format!(
                "note: the points of {} collections near Azure's limit of collections per subscription and region were not read (their `points` are empty); --read-all reads them, about {} min at ARM's read rate",
                crate::model::count_text(unread),
                crate::inventory::read_minutes(unread)
            ));
        }
    }
    let inv = &loader.inventory;
    if let Some(e) = inv.subscriptions.error() {
        return Err(fail(
            exit_code_for(e),
            format!(
                "cannot list the subscriptions at {base_url}: {}",
                e.summary()
            ),
        ));
    }
    if inv.subscriptions.value().is_none() {
        let why = loaded.err().unwrap_or_else(|| "no answer".into());
        return Err(fail(
            EXIT_FAILED,
            format!("cannot list the subscriptions at {base_url}: {why}"),
        ));
    }
    let now_unix = super::create::now_unix();
    let meta = Meta {
        connection: spec.label(),
        generated_unix: now_unix,
    };
    let text = match plan {
        Plan::Inventory(level) => {
            let what = Export::Inventory {
                format: args.format,
                level,
            };
            ExportJob::new(inv, &what, now_unix)
                .run(inv)
                .render(args.format, level, &meta)
        }
        Plan::Fleet => {
            let what = Export::Fleet {
                format: args.format,
                vms: None,
            };
            ExportJob::new(inv, &what, now_unix)
                .run(inv)
                .render(args.format, Level::Points, &meta)
        }
        Plan::Cost { table, inputs } => {
            let demo_base = matches!(spec, ConnectionSpec::Demo { .. }).then(|| base_url.clone());
            cost_text(
                &args, &spec, demo_base, inv, table, *inputs, &meta, now_unix,
            )
            .await?
        }
    };
    write_output(args.output.as_deref(), &text)?;
    drop(info);
    let mut failures = load_failures(&loader.inventory);
    failures.retain(|f| f.what != "Subscriptions");
    Ok(match (failures.first(), loaded) {
        (Some(first), _) => Some(format!(
            "written, but {} list(s) could not be read, so the export lacks what they hold; first: {}: {}",
            failures.len(),
            first.what,
            first.message
        )),
        (None, Err(why)) => Some(format!("written, but loading stopped: {why}")),
        (None, Ok(())) => None,
    })
}

/// The cost export: prices from the same loader as the window (its cache, the endpoint,
/// the embedded table; which one is said on stderr), the default assumptions unless
/// changed, the figures for the whole fleet.
#[allow(clippy::too_many_arguments)]
async fn cost_text(
    args: &ExportArgs,
    spec: &ConnectionSpec,
    demo_base: Option<String>,
    inv: &crate::inventory::Inventory,
    table: Option<&'static str>,
    settings: CostSettings,
    meta: &Meta,
    now_unix: i64,
) -> Result<String, Failure> {
    let estate = inv.cost_estate();
    let (endpoint, cache_key) =
        prices_target(Some(spec), demo_base, args.prices_endpoint.as_deref());
    let data_dir = args.data_dir.clone().or_else(super::user_data_dir);
    let request = PricesRequest {
        endpoint,
        cache_dir: data_dir.map(|d| d.join("prices")),
        cache_key,
        currency: settings.currency,
        regions: estate.regions(),
        refresh: false,
        now_unix,
        options: ClientOptions::default(),
        page_size: DEFAULT_PAGE_SIZE,
    };
    let book = load_prices(&request).await;
    let mut line = format!("prices: {}", book.describe());
    if let Some(note) = &book.note {
        line.push_str(&format!(" ({note})"));
    }
    say(&line);
    let inputs = CostInputs {
        scope: Scope::Fleet,
        assumptions: AssumptionSet {
            fleet: settings.assumptions,
            ..Default::default()
        },
        prices: book,
        policies: settings.policies,
        stack: Default::default(),
        // As the window does: projections move with the hour.
        now_unix: now_unix - now_unix.rem_euclid(3600),
    };
    let estate = std::sync::Arc::new(estate);
    let model = tokio::task::spawn_blocking({
        let estate = estate.clone();
        move || crate::cost::model(&estate, inputs)
    })
    .await
    .map_err(|e| fail(EXIT_FAILED, format!("the cost computation stopped: {e}")))?;
    Ok(match table {
        Some(part) => crate::cost::table(part, &estate, &model)
            .map(|t| t.to_csv())
            .unwrap_or_default(),
        None => crate::export::cost_document(&estate, &model, meta),
    })
}

/// Writes to `path` (beside it first, then renamed: never half a file) or stdout.
fn write_output(path: Option<&Path>, text: &str) -> Result<(), Failure> {
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            // The reader stopped reading (`| head`): what it read is what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(|e| fail(EXIT_FAILED, format!("cannot write to stdout: {e}"))),
        };
    };
    super::export::save_export(path, text.as_bytes())
        .map_err(|e| fail(EXIT_FAILED, format!("cannot write {}: {e}", path.display())))
}
