//! Small status texts for tree rows, tables and the inspector, with their tone.

use super::theme::Tone;
use crate::inventory::CollectionLink;
use crate::model::{ConsistencyMode, PowerState, ProvisioningState, RestorePoint};

/// A short label and what it means.
pub type Badge = (String, Tone);

/// Why a collection is not under a VM.
pub fn link_text(link: &CollectionLink) -> String {
    match link {
        CollectionLink::Vm(_) => "attached".into(),
        CollectionLink::Moved { now, .. } => {
            format!("VM moved to {}", now.resource_group().unwrap_or("?"))
        }
        CollectionLink::MissingVm(_) => "source VM not found".into(),
        CollectionLink::CopyOf(src) => format!("copy of {}", src.name()),
        CollectionLink::Unknown => "no source".into(),
    }
}

/// Tone of a collection link.
pub fn link_tone(link: &CollectionLink) -> Tone {
    match link {
        CollectionLink::Vm(_) => Tone::Ok,
        CollectionLink::CopyOf(_) => Tone::Info,
        CollectionLink::Moved { .. } => Tone::Warn,
        CollectionLink::MissingVm(_) | CollectionLink::Unknown => Tone::Error,
    }
}

/// "App", "Crash", "FS" for a consistency mode.
pub fn mode_badge(mode: Option<&ConsistencyMode>) -> Badge {
    match mode {
        Some(ConsistencyMode::ApplicationConsistent) | None => ("App".into(), Tone::App),
        Some(ConsistencyMode::CrashConsistent) => ("Crash".into(), Tone::Crash),
        Some(ConsistencyMode::FileSystemConsistent) => ("FS".into(), Tone::FileSystem),
        Some(ConsistencyMode::Other(s)) => (s.to_string(), Tone::Muted),
    }
}

/// A power state's dot and tone.
pub fn power_tone(power: Option<&PowerState>) -> Tone {
    match power {
        Some(PowerState::Running) => Tone::Ok,
        Some(PowerState::Starting | PowerState::Stopping | PowerState::Deallocating) => Tone::Warn,
        Some(PowerState::Stopped) => Tone::Error,
        _ => Tone::Muted,
    }
}

/// Tone of a provisioning state.
pub fn state_tone(state: &ProvisioningState) -> Tone {
    match state {
        ProvisioningState::Succeeded => Tone::Ok,
        ProvisioningState::Failed | ProvisioningState::Canceled => Tone::Error,
        _ => Tone::Warn,
    }
}

/// Badges of a restore point: mode, state if not succeeded, excluded disks, instant
/// access, copy progress.
pub fn point_badges(point: &RestorePoint) -> Vec<Badge> {
    let p = &point.properties;
    let mut out = vec![mode_badge(p.consistency_mode.as_ref())];
    if let Some(state) = &p.provisioning_state
        && *state != ProvisioningState::Succeeded
    {
        out.push((state.to_string(), state_tone(state)));
    }
    if !p.exclude_disks.is_empty() {
        out.push((format!("{} excluded", p.exclude_disks.len()), Tone::Warn));
    }
    if let Some(minutes) = p.instant_access_duration_minutes {
        out.push((format!("IA {minutes} min"), Tone::Info));
    }
    if let Some(pct) = point.min_completion_percent()
        && pct < 100.0
    {
        out.push((format!("copy {pct:.0}%"), Tone::Warn));
    }
    out
}
