//! The local Azure Resource Manager emulator: an axum server on loopback that speaks the
//! ARM wire protocol for everything rpdesk needs (paths, api-versions, bodies, errors,
//! paging and long-running operations as Microsoft's REST specifications define them),
//! enforces the restore point rules of Azure's support matrix (listed in `rules.rs`), runs
//! on a virtual clock, and can inject faults.
//!
//! # ARM surface
//! Subscriptions, resource groups, VM scale sets (get: `orchestrationMode`), VMs (list
//! all / by group / by location, get with
//! `$expand=instanceView|userData`, instance view, power actions, PUT incl. attached and
//! restored disks, PATCH incl. OS disk swap, delete), disks (list,
//! get, PUT incl. `createOption: Restore`, PATCH, delete, begin/endGetAccess), VNets,
//! subnets, NICs, restore point collections, restore points (incl. cross-region copy),
//! disk restore points (list, get, begin/endGetAccess), async operation status.
//!
//! # Retail Prices
//! `GET /api/retail/prices` without a token, like `https://prices.azure.com`: an
//! illustrative price sheet (not Azure's prices) with `$filter` (`eq`, `contains`, `and`,
//! `or`, parentheses), `currencyCode`, `$skip` and pages of `--page-size` items linked by
//! `NextPageLink` (see `routes::prices`). Faults apply to it like to any path
//! (`"pathContains":"retail"`).
//! Path keys match case-insensitively; names keep the case they were created with.
//! api-version minimums per family: subscriptions 2022-12-01, resource groups 2021-04-01,
//! Compute (VMs, collections, points) 2025-04-01, Disk RP (disks, disk restore points)
//! 2025-01-02, network 2023-09-01; any later `yyyy-mm-dd[-preview]` is accepted.
//!
//! # Restore rules
//! The calls of a restore (disks from disk restore points, a VM built from restored disks,
//! disks swapped into an existing VM) are refused as Azure refuses them; Premium SSD v2
//! and Ultra are "PSSD v2 / Ultra" below. Sources are Microsoft's Azure documentation.
//! - VM create, attached OS disk with `osProfile` → 400 `InvalidParameter` "Parameter
//!   'osProfile' is not allowed." (Microsoft's "Create a VM from a specialized disk").
//! - … with `imageReference` → 400 `InvalidParameter` "Cannot attach an existing OS disk if
//!   the VM is created from a platform, user or a shared gallery image." (same article).
//! - VM create, attached OS disk whose security type (a restored disk inherits its disk
//!   restore point's) is not the VM's (none = Standard) → 400 `BadRequest` (Microsoft's
//!   "Trusted launch for Azure virtual machines").
//! - OS disk swap changing an `osDisk` property other than `managedDisk.id` and `name`
//!   → 409 `PropertyChangeNotAllowed`; the VM keeps its `createOption` (e.g. `FromImage`);
//!   replacement of another size → 409 `ResizeDiskError`, OS type → 400
//!   `OperationNotAllowed`, disk encryption set → 400 `InvalidParameter` (Microsoft's
//!   "Change the OS disk used by an Azure VM").
//! - Any attach: a zonal VM takes only disks of its zone, a regional VM only regional
//!   disks → 400 `InvalidParameter` (Microsoft's "Availability zones for virtual machines").
//! - PSSD v2 / Ultra as an OS disk → 400 `InvalidParameter`; as a data disk with host
//!   caching → 400 `InvalidParameter` (Microsoft's "Deploy a Premium SSD v2" limitations).
//! - PSSD v2 / Ultra created without a zone in a region with zones → 400
//!   `InvalidParameter` (Microsoft's "Manage restore points" and Premium SSD v2 articles).
//! - Restore smaller than the captured size → 400 `InvalidParameter` (disks only grow:
//!   Microsoft's "Expand virtual hard disks").
//! - Restore from an instant access snapshot to another type than PSSD v2 / Ultra, or
//!   larger than the snapshot → 400 `InvalidParameter` (Microsoft's "Instant access
//!   snapshots for Azure managed disks").
//! - Restore from a 4096-byte-sector snapshot (PSSD v2 / Ultra) to another type → 400
//!   `InvalidParameter` (Microsoft's incremental snapshot restrictions).
//! - Restore from a `Pending` disk restore point → 409 `OperationNotAllowed`. A PSSD v2 /
//!   Ultra disk restore point of a point without instant access is `Pending` for
//!   size × 40 virtual seconds while its data is copied into the snapshot, with a rising
//!   `completionPercent` (Microsoft's "Create an incremental snapshot for managed disks").
//! - A PSSD v2 / Ultra disk restored from a disk restore point hydrates for size × 0.5
//!   virtual seconds after its create operation (`completionPercent` 0 → 100; other
//!   restored or copied disks report 100, disks made empty or from an image report
//!   none); attaching it meanwhile to a VM that is not zonal → 409 `OperationNotAllowed`
//!   (Microsoft's "Deploy a Premium SSD v2" limitations).
//! - Disk PUT with `encryption.diskEncryptionSetId` and no `type` →
//!   `EncryptionAtRestWithCustomerKey` (Microsoft's "Server-side encryption of Azure Disk
//!   Storage").
//! - Deleting a disk attached to a VM → 409 `OperationNotAllowed`, a NIC of an existing VM
//!   → 400 `NicInUse`; VM DELETE accepts `forceDeletion`; a VM PUT with
//!   `If-None-Match: *` on an existing VM → 412 `PreconditionFailed`.
//!
//! # Cross-region copies
//! A restore point PUT with `sourceRestorePoint` into a collection whose `source.id` is
//! the source collection, in another region (Microsoft's "Copy a restore point to a
//! different region" example). Each disk restore point copies on its own: 300 virtual
//! seconds, then 2 s per GB, side by side, each with its own `completionPercent` and
//! `replicationStatus` in the point's instance view (and `replicationState` on the disk
//! restore point); the point succeeds when its largest disk is copied. A copy whose
//! operation fails (`failLro`) stops 40 % of the way, keeps the percentages it reached and
//! says why in the instance view's statuses (`ProvisioningState/failed/<code>`). Refused:
//! a source that has not succeeded (409 `OperationNotAllowed`), a source disk restore
//! point whose `snapshotAccessState` is `Pending` or `InstantAccess` (the REST API's
//! `SnapshotAccessState`: such a snapshot "cannot be copied"; 409 `OperationNotAllowed`),
//! a target in the source's region or copying another collection (400
//! `InvalidParameter`), and a fourth copy into one target collection within an hour (429).
//!
//! # Admin API (`/_emulator/`)
//! It can wipe a `--state` file and read the whole estate, so it is guarded against web
//! pages open in the user's browser: every admin request needs the bearer token (the
//! `--token` one, or any non-empty token when none is configured; a page cannot send
//! `Authorization` cross-site without a CORS preflight, which the emulator never
//! approves), a request carrying an `Origin` header is refused with 403, and a body must
//! be `application/json` (415 otherwise). Refusals use the ARM error envelope.
//! - `GET /_emulator/health` → `{"status":"ok","estate":"demo","now":"<time>","speed":1.0,
//!   "throttling":true,"counts":{"subscriptions":3,"virtualMachines":32,...}}`
//! - `GET /_emulator/clock` → `{"now":"2026-11-22T01:00:00.0000000+00:00","unixSeconds":
//!   1795309200.0,"speed":1.0}`
//! - `POST /_emulator/clock/advance` with `{"seconds":3600}` and/or `{"speed":60}` → the
//!   clock JSON after the jump (due operations complete immediately).
//! - `POST /_emulator/faults` with one rule or an array of rules:
//!   `{"kind":"latency|throttle|serverError|unavailable|drop|malformed|failLro|emptyNextLink",
//!     "pathContains":"<case-insensitive substring, e.g. a subscription id>",
//!     "method":"GET", "rate":0.5, "count":3, "latencyMs":2000, "retryAfter":5,
//!     "code":"InternalOperationError"}` (only `kind` is required; aliases `429`, `500`,
//!   `503`, `dropConnection`, `malformedBody`, `failingLro`, `emptyNextPageLink`; `emptyNextLink`
//!   empties a list page's `nextLink` / `NextPageLink` though more items remain) → 201
//!   `{"ids":[1],"faults":[{"id":1,"kind":...,"hits":0}]}`. `GET /_emulator/faults` lists them.
//! - `DELETE /_emulator/faults` → `{"faults":[]}`.
//! - `POST /_emulator/reset` → `{"status":"reset","estate":"demo"}`: the estate is rebuilt,
//!   faults, token buckets and limits are cleared (the clock keeps running).
//! - `GET /_emulator/estate` → the whole estate as the JSON `--state` persists.
//! - `GET|PUT /_emulator/limits` with e.g. `{"pointsPerVm":5,
//!   "collectionsPerSubscriptionRegion":2,"putsPerVmPerHour":3 (per consistency mode),
//!   "copiesPerTargetCollectionPerHour":3,
//!   "appConsistentIntervalSecs":10800,"crashConsistentIntervalSecs":3600,
//!   "instantAccessCreationsPerSubscriptionRegion":50}` → the limits
//!   (lets tests reach Azure's caps without creating 10,000 resources).
//!
//! # Persistence
//! With `--state FILE` the estate is loaded from FILE when it exists (it then wins over
//! `--estate`, which only seeds a missing file and `/_emulator/reset`). Each accepted
//! write is saved before it is answered: its changes are appended to `FILE.journal` (one
//! fdatasync'd JSON line), so a write costs the same at any estate size and no
//! acknowledged write is lost to `kill -9`. The journal is folded into FILE (a plain JSON
//! estate, written atomically) when it outgrows it and on shutdown. A write that cannot be
//! saved is undone and answered 507 `StateNotSaved` naming the file. A state file or
//! journal that cannot be loaded (bad JSON, the wrong shape, not a regular file) stops the
//! start with a [`StateError`] naming it and is left untouched; [`set_aside_corrupt_state`]
//! moves it aside. `.FILE.lock` keeps a second emulator off the same file. The virtual
//! clock resumes at the later of the saved time and now.
//!
//! # Connections
//! A connection with no request in progress is closed after `idle_timeout` (120 s)
//! without a byte; a request's headers must be complete within `header_timeout` (30 s)
//! of its first byte, and its body within as long again (408 `RequestTimeout`), so
//! neither idle keep-alive connections nor clients trickling bytes hold a socket for
//! ever. No timer runs while a request is handled.
//!
//! `Retry-After` values are real seconds: the virtual wait divided by the clock speed,
//! rounded up, at least 1.

pub mod admin;
pub mod background_copy;
pub mod clock;
pub mod disk_rules;
pub mod errors;
pub mod estate;
pub mod faults;
pub mod gate;
pub mod lro;
pub mod persist;
pub mod render;
pub mod request;
pub mod responses;
pub mod restore_rules;
pub mod routes;
pub mod rules;
pub mod server;
pub mod state;
pub mod throttle;
pub mod timeouts;
pub mod tracked;
pub mod vm_write;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

use self::clock::VirtualClock;
pub use self::persist::{StateError, StateErrorKind, set_aside_corrupt_state};
use self::server::{Inner, Settings, Shared};

/// Which estate the emulator starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EstateSpec {
    Demo,
    Large(usize),
    Empty,
}

impl FromStr for EstateSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "demo" => Ok(Self::Demo),
            "empty" => Ok(Self::Empty),
            _ => match t.strip_prefix("large:").map(str::parse::<usize>) {
                Some(Ok(n)) if n > 0 && n <= 1_000_000 => Ok(Self::Large(n)),
                _ => Err(format!(
                    "unknown estate {s:?}: expected demo, empty or large:N (1..=1000000)"
                )),
            },
        }
    }
}

impl std::fmt::Display for EstateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Demo => f.write_str("demo"),
            Self::Large(n) => write!(f, "large:{n}"),
            Self::Empty => f.write_str("empty"),
        }
    }
}

/// How long an idle connection stays open: what HTTP front ends commonly allow (HTTP.sys,
/// which serves many Azure endpoints, closes idle connections after 120 s).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// How long a request's headers may take once they have started: generous for any real
/// client on a loopback or LAN link, short enough that trickling bytes cannot pin a task.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// How to run the emulator.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    pub estate: EstateSpec,
    /// `None`: any non-empty bearer token is accepted. A blank token is refused by
    /// `RunningEmulator::start`.
    pub token: Option<String>,
    pub latency_ms: u64,
    /// Virtual seconds per real second.
    pub speed: f64,
    /// Persist the estate here (atomic write) and load it on start.
    pub state_file: Option<PathBuf>,
    pub page_size: usize,
    /// ARM token buckets on.
    pub throttling: bool,
    /// A connection with no request in progress is closed after this long without a
    /// byte either way (keep-alive connections left open, clients that vanished).
    pub idle_timeout: Duration,
    /// A request's headers must arrive within this long of its first byte, and its body
    /// within as long again: a client trickling bytes would otherwise hold its
    /// connection, and a task, forever.
    pub header_timeout: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            estate: EstateSpec::Demo,
            token: None,
            latency_ms: 0,
            speed: 1.0,
            state_file: None,
            page_size: 20,
            throttling: true,
            idle_timeout: IDLE_TIMEOUT,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// A running emulator. `shutdown` stops it and folds its state file's journal in;
/// dropping it stops it too, without waiting.
pub struct RunningEmulator {
    /// Where clients connect: the bound address, loopback for a wildcard bind.
    addr: SocketAddr,
    /// The address actually bound (`0.0.0.0:7780` for a wildcard bind).
    bound: SocketAddr,
    shared: Arc<Shared>,
    /// Taken by `shutdown` and `abandon`; what is left is done on drop.
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningEmulator {
    /// Binds `listen` (port 0 = ephemeral) and serves on the current tokio runtime.
    pub async fn start(config: EmulatorConfig, listen: SocketAddr) -> anyhow::Result<Self> {
        anyhow::ensure!(
            config.speed.is_finite() && config.speed > 0.0,
            "the clock speed {} is not a positive number",
            config.speed
        );
        let token = match &config.token {
            Some(t) => Some(parse_token(t).map_err(anyhow::Error::msg)?),
            None => None,
        };
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let bound = listener.local_addr()?;
        let mut addr = bound;
        // A wildcard bind is reachable on loopback; advertise that to clients.
        if addr.ip().is_unspecified() {
            addr.set_ip(if addr.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        let wall = VirtualClock::wall_now();
        let (loaded, store) = match &config.state_file {
            Some(p) => {
                let (estate, store) = persist::Store::open(p)?;
                (estate, Some(store))
            }
            None => (None, None),
        };
        let (mut estate, start) = match loaded {
            Some(e) => {
                let start = e.saved_at.max(wall);
                (e, start)
            }
            None => (estate::build(&config.estate, wall), wall),
        };
        // What was just built or loaded is the baseline later saves and undos start from.
        estate.commit();
        let shared = Arc::new(Shared {
            settings: Settings {
                estate: config.estate.clone(),
                token,
                latency_ms: config.latency_ms,
                page_size: config.page_size.max(1),
                throttling: config.throttling,
                state_file: config.state_file.clone(),
                base_url: format!("http://{addr}"),
                header_timeout: config.header_timeout,
            },
            inner: Mutex::new(Inner {
                estate,
                store,
                clock: VirtualClock::new(start, config.speed),
                faults: Default::default(),
                buckets: Default::default(),
                limits: Default::default(),
            }),
        });
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone())
            .into_make_service_with_connect_info::<timeouts::Activity>();
        let listener =
            timeouts::TimedListener::new(listener, config.idle_timeout, config.header_timeout);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!("emulator server stopped: {e}");
            }
        });
        Ok(Self {
            addr,
            bound,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address the listener is bound to (may be a wildcard such as `0.0.0.0`).
    pub fn bound_addr(&self) -> SocketAddr {
        self.bound
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving at once and saves nothing more, as a crash would: what the state file
    /// holds is what was acknowledged. For tests of crash recovery.
    pub fn abandon(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        persist::abandon(&self.shared);
    }

    /// Stops serving, waits for in-flight requests, and saves the state file if any.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Long-polling clients could hold the graceful shutdown open; bound the wait.
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
        let shared = self.shared.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || persist::close(&shared)).await {
            tracing::warn!("emulator state not saved at shutdown: {e}");
        }
    }
}

impl Drop for RunningEmulator {
    /// Stops serving and lets the state file go, so that a new emulator can open it (the
    /// app drops its demo emulator when it reconnects). Nothing is written here: every
    /// acknowledged write is saved already, and operations completed since are completed
    /// again from the saved state.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        persist::abandon(&self.shared);
    }
}

/// `rpdesk emulator` options.
#[derive(Clone, Debug, clap::Args)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7780")]
    pub listen: SocketAddr,
    /// Estate to start with: demo, empty or large:N.
    #[arg(long, default_value = "demo")]
    pub estate: EstateSpec,
    /// Persist the estate to this file (loaded on start if present).
    #[arg(long = "state", value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Virtual clock speed (virtual seconds per real second), from 0.01 to 100000.
    #[arg(
        long,
        default_value_t = 1.0,
        allow_hyphen_values = true,
        value_parser = clock::parse_speed
    )]
    pub speed: f64,
    /// Extra latency added to every ARM request, in milliseconds.
    #[arg(long = "latency-ms", default_value_t = 0)]
    pub latency_ms: u64,
    /// Accept only this bearer token (default: any non-empty token). Prefer the
    /// environment variable: a command line is visible to every user in `ps`.
    #[arg(
        long,
        env = "RPDESK_EMULATOR_TOKEN",
        hide_env_values = true,
        value_parser = parse_token
    )]
    pub token: Option<String>,
    /// Items per list page.
    #[arg(long = "page-size", default_value_t = 20)]
    pub page_size: usize,
    /// Turn ARM's request token buckets off.
    #[arg(long = "no-throttling")]
    pub no_throttling: bool,
}

/// A configured token, trimmed (a header value cannot carry the spaces around it). An
/// empty one is refused rather than read as "no token", which would accept any token.
fn parse_token(text: &str) -> Result<String, String> {
    let token = text.trim();
    if token.is_empty() {
        return Err(EMPTY_TOKEN.to_owned());
    }
    Ok(token.to_owned())
}

const EMPTY_TOKEN: &str = "the emulator token is empty; give a non-empty token, or none at all \
                           to accept any non-empty bearer token";

/// Runs the emulator until Ctrl-C. The first stdout line is `listening on http://ADDR`
/// with the bound address; a bind beyond loopback adds a warning on stderr.
pub async fn run_cli(args: EmulatorArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let config = EmulatorConfig {
        estate: args.estate,
        token: args.token,
        latency_ms: args.latency_ms,
        speed: args.speed,
        state_file: args.state,
        page_size: args.page_size,
        throttling: !args.no_throttling,
        ..Default::default()
    };
    let any_token = config.token.is_none();
    let emulator = RunningEmulator::start(config, args.listen).await?;
    let bound = emulator.bound_addr();
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{bound}")?;
        out.flush()?;
    }
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: listening on {bound}, which is reachable from the network: anyone who can \
             connect can read and change the emulated estate{}",
            if any_token {
                " (with no --token or RPDESK_EMULATOR_TOKEN, any bearer token is accepted)"
            } else {
                ""
            }
        );
    }
    wait_for_stop_signal().await?;
    emulator.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (so `kill` still saves `--state`).
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}
