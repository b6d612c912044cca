//! rpdesk: the command line, logging, the tokio runtime, and the window.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use rpdesk::app::{App, AppOptions, ScreenshotOutcome, ScreenshotRequest};
use rpdesk::auth::Cloud;
use rpdesk::backend::ConnectionSpec;
use rpdesk::ui::state::ThemeChoice;

/// Restore Point Desk: browse, assess and restore Azure VM restore points.
#[derive(Parser)]
#[command(name = "rpdesk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Connect to real Azure (Azure CLI login, then environment service principal,
    /// workload identity, managed identity).
    #[arg(long, conflicts_with = "endpoint")]
    azure: bool,
    /// Which Azure cloud, with --azure.
    #[arg(long, value_enum, default_value_t = Cloud::Public)]
    cloud: Cloud,
    /// Any ARM-compatible endpoint (https, or http on loopback).
    #[arg(long, requires = "token")]
    endpoint: Option<String>,
    /// Bearer token for --endpoint (or RPDESK_TOKEN).
    #[arg(long, env = "RPDESK_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The demo estate: `demo`, or `large:N` for a generated fleet of N VMs.
    #[arg(long, default_value = "demo")]
    estate: String,
    /// The demo's clock: virtual seconds per real second (60 shows a one-hour restore in a
    /// minute).
    #[arg(
        long,
        default_value_t = 1.0,
        allow_hyphen_values = true,
        value_parser = rpdesk::emulator::clock::parse_speed
    )]
    speed: f64,
    /// Keep the demo estate in memory only (nothing saved, nothing restored).
    #[arg(long)]
    fresh_demo: bool,
    /// Where restore journals, evidence and the demo estate are kept (default: the user's
    /// data folder, e.g. ~/.local/share/rpdesk).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Render once after the inventory has loaded, save this PNG, exit.
    #[arg(long, value_name = "FILE.png")]
    screenshot: Option<PathBuf>,
    /// With --screenshot: a resource ID (or subscription ID) to select first.
    #[arg(long, value_name = "RESOURCE_ID")]
    select: Option<String>,
    /// With --screenshot: overview, consistency, supportability, cost, raw, search=TEXT,
    /// connect, all-points, group-by-rg, expand, fleet, crash, app, create, copy=REGION,
    /// restore…, cost-view, cost-compare, currency=CODE (repeatable; the README lists them
    /// all).
    #[arg(long, value_name = "NAME")]
    panel: Vec<String>,
    /// Colour theme (default: follow the system, or the last choice).
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
    /// Where cost views get prices: a Retail Prices endpoint, or `offline` for the cache
    /// and the embedded table (default: the demo's emulator, else prices.azure.com).
    #[arg(long, value_name = "URL|offline")]
    prices_endpoint: Option<String>,
    /// Refuse every change to the estate for this session (browse, cost and export only).
    #[arg(long)]
    read_only: bool,
    /// Window size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x1000")]
    size: String,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local ARM emulator headless.
    Emulator(rpdesk::emulator::EmulatorArgs),
    /// Export the inventory, supportability or cost without a window (stdout by default).
    Export(rpdesk::backend::export_cli::ExportArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
    System,
}

/// One malloc arena for the whole process (glibc; an explicit `MALLOC_ARENA_MAX` wins),
/// set before the process starts a thread. glibc gives threads that allocate at the same moment arenas of their own, and the
/// pages a response's parse leaves in a worker thread's arena serve only that arena:
/// with a 10,000-VM fleet loaded the process peaked about 40 MB higher with the default
/// arenas (401 against 363 MB) at the same load time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets one of the allocator's parameters, and main calls
        // this before the process has started any other thread.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}

fn main() -> anyhow::Result<()> {
    // Before any thread exists: on Linux the local offset is only readable then.
    rpdesk::model::init_local_offset();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    // The app and exports hold a fleet; the emulator serves many clients at once.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !matches!(cli.command, Some(Command::Emulator(_))) {
        one_malloc_arena();
    }
    let exporting = matches!(cli.command, Some(Command::Export(_)));
    // An export's stdout is its data and its stderr one line a script can read: no
    // logging unless RUST_LOG asks for it.
    let default_filter = if exporting { "off" } else { "rpdesk=info,warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("rpdesk-worker")
        .build()?;
    match cli.command {
        Some(Command::Emulator(args)) => runtime.block_on(rpdesk::emulator::run_cli(args)),
        Some(Command::Export(args)) => {
            let code = runtime.block_on(rpdesk::backend::export_cli::run(args));
            runtime.shutdown_timeout(Duration::from_secs(1));
            std::process::exit(code)
        }
        None => {
            let _guard = runtime.enter();
            run_gui(cli, runtime.handle().clone())
        }
    }
}

/// A command line clap refused: help and version as clap prints them; for `export`, one
/// line on stderr and exit code 2 (scripts read one line); otherwise clap's own message.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    let export = std::env::args().nth(1).as_deref() == Some("export");
    if !export || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit()
    }
    let text = e.to_string();
    let words: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .flat_map(str::split_whitespace)
        .collect();
    let line = words.join(" ");
    eprintln!(
        "rpdesk export: {}",
        line.strip_prefix("error: ").unwrap_or(&line)
    );
    std::process::exit(rpdesk::backend::export_cli::EXIT_USAGE)
}

fn run_gui(cli: Cli, runtime: tokio::runtime::Handle) -> anyhow::Result<()> {
    let (width, height) = parse_size(&cli.size)?;
    let connection = if cli.azure {
        Some(ConnectionSpec::Azure { cloud: cli.cloud })
    } else if let Some(endpoint) = &cli.endpoint {
        rpdesk::model::validate_endpoint(endpoint).map_err(anyhow::Error::msg)?;
        Some(ConnectionSpec::Custom {
            endpoint: endpoint.clone(),
            token: rpdesk::auth::BearerToken::new(cli.token.clone().unwrap_or_default()),
        })
    } else {
        None
    };
    let screenshot_mode = cli.screenshot.is_some();
    let outcome = Arc::new(Mutex::new(None));
    let mut options = AppOptions::new(runtime);
    options.connection = connection;
    options.demo_estate = cli.estate.clone();
    // A screenshot starts from a fresh demo unless it is given a data folder of its own.
    let keep_demo =
        !cli.fresh_demo && cli.estate == "demo" && (!screenshot_mode || cli.data_dir.is_some());
    options.demo_state_file = keep_demo
        .then(|| match &cli.data_dir {
            Some(dir) => Some(dir.join("demo-estate.json")),
            None => demo_state_file(),
        })
        .flatten();
    options.data_dir = cli.data_dir.clone();
    options.demo_speed = cli.speed;
    options.theme = cli.theme.map(|t| match t {
        ThemeArg::Light => ThemeChoice::Light,
        ThemeArg::Dark => ThemeChoice::Dark,
        ThemeArg::System => ThemeChoice::System,
    });
    options.ephemeral = screenshot_mode;
    options.prices_endpoint = cli.prices_endpoint.clone();
    options.read_only = cli.read_only;
    options.screenshot = cli.screenshot.clone().map(|path| ScreenshotRequest {
        path,
        select: cli.select.clone(),
        panel: cli.panel.clone(),
        timeout: Duration::from_secs(120),
        outcome: outcome.clone(),
    });
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("rpdesk — Restore Point Desk")
            .with_app_id("rpdesk")
            .with_inner_size([width, height])
            .with_min_inner_size([900.0, 560.0])
            .with_icon(window_icon()),
        persist_window: !screenshot_mode,
        // Screenshots start from a clean slate, not the layout of the last session.
        persistence_path: screenshot_mode.then(|| {
            std::env::temp_dir().join(format!("rpdesk-screenshot-{}", std::process::id()))
        }),
        ..Default::default()
    };
    eframe::run_native(
        "rpdesk",
        native,
        Box::new(move |cc| Ok(Box::new(App::new(cc, options)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))?;
    if screenshot_mode {
        let taken = outcome.lock().ok().and_then(|o| o.clone());
        match taken {
            Some(ScreenshotOutcome::Saved(path)) => println!("saved {}", path.display()),
            Some(ScreenshotOutcome::Failed(e)) => anyhow::bail!("screenshot failed: {e}"),
            None => anyhow::bail!("the window closed before the screenshot was taken"),
        }
    }
    Ok(())
}

/// The app icon (assets/icon.png), built into the binary.
fn window_icon() -> std::sync::Arc<egui::IconData> {
    let png = include_bytes!("../assets/icon.png");
    std::sync::Arc::new(eframe::icon_data::from_png_bytes(png).unwrap_or_default())
}

fn parse_size(text: &str) -> anyhow::Result<(f32, f32)> {
    let (w, h) = text
        .split_once('x')
        .context("--size is WIDTHxHEIGHT, e.g. 1600x1000")?;
    let w: f32 = w.trim().parse().context("--size width")?;
    let h: f32 = h.trim().parse().context("--size height")?;
    anyhow::ensure!(
        (320.0..=10_000.0).contains(&w) && (240.0..=10_000.0).contains(&h),
        "--size {text} is out of range"
    );
    Ok((w, h))
}

/// `~/.local/share/rpdesk/demo-estate.json` (or the platform's equivalent).
fn demo_state_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("dev", "rpdesk", "rpdesk")
        .map(|d| d.data_dir().join("demo-estate.json"))
}
