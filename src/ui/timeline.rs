//! A VM's restore point timeline for the Consistency tab: its points over time coloured
//! by mode, the minimum-frequency window after each point (3 h application-consistent,
//! 1 h crash-consistent), gaps in the schedule, and the "consistency debt": hours since
//! the last application-consistent point. The series are computed from plain data; the
//! plot is egui_plot.

use egui::Ui;
use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points, Polygon};

use super::theme::{self, Tone};
use crate::model::ConsistencyMode;
use crate::rules::{Mode, minimum_interval};

/// The plotted series; x is days relative to now (negative: past), y is hours.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub app: Vec<[f64; 2]>,
    pub file_system: Vec<[f64; 2]>,
    pub crash: Vec<[f64; 2]>,
    /// Minimum-frequency windows (x from, x to) after each point.
    pub windows: Vec<(f64, f64)>,
    /// Gaps: intervals between points longer than twice the usual one (x from, x to).
    pub gaps: Vec<(f64, f64)>,
    /// Hours since the last application-consistent point, as a sawtooth to now.
    pub debt: Vec<[f64; 2]>,
    /// The debt now, if the VM ever had an application-consistent point.
    pub debt_now_hours: Option<f64>,
}

const DAY_SECS: f64 = 86_400.0;

/// Builds the timeline from `(timeCreated, mode)` pairs (any order) at `now_unix`.
pub fn timeline(points: &[(i64, Option<ConsistencyMode>)], now_unix: i64) -> Timeline {
    let mut sorted: Vec<&(i64, Option<ConsistencyMode>)> = points.iter().collect();
    sorted.sort_by_key(|p| p.0);
    let x = |t: i64| (t - now_unix) as f64 / DAY_SECS;
    let mut out = Timeline::default();
    for (t, mode) in &sorted {
        let at = [x(*t), 0.0];
        match mode {
            Some(ConsistencyMode::CrashConsistent) => out.crash.push(at),
            Some(ConsistencyMode::FileSystemConsistent) => out.file_system.push(at),
            _ => out.app.push(at),
        }
        let requested =
            Mode::from_consistency(mode.as_ref()).unwrap_or(Mode::ApplicationConsistent);
        let window = minimum_interval(requested).as_seconds_f64() / DAY_SECS;
        out.windows.push((x(*t), x(*t) + window));
    }
    let intervals: Vec<i64> = sorted.windows(2).map(|w| w[1].0 - w[0].0).collect();
    if let Some(usual) = median(&intervals) {
        for w in sorted.windows(2) {
            if w[1].0 - w[0].0 > 2 * usual.max(3_600) {
                out.gaps.push((x(w[0].0), x(w[1].0)));
            }
        }
    }
    // Debt: falls to zero at each application-consistent point, grows linearly between.
    let mut last_app: Option<i64> = None;
    let hours = |from: i64, to: i64| (to - from) as f64 / 3_600.0;
    for (t, mode) in &sorted {
        let is_app = matches!(mode, None | Some(ConsistencyMode::ApplicationConsistent));
        if !is_app {
            continue;
        }
        if let Some(prev) = last_app {
            out.debt.push([x(*t), hours(prev, *t)]);
        }
        out.debt.push([x(*t), 0.0]);
        last_app = Some(*t);
    }
    if let Some(prev) = last_app {
        out.debt.push([0.0, hours(prev, now_unix)]);
        out.debt_now_hours = Some(hours(prev, now_unix));
    }
    out
}

fn median(values: &[i64]) -> Option<i64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// Draws the timeline plot.
pub fn timeline_ui(ui: &mut Ui, id: &str, t: &Timeline) {
    let top = t.debt.iter().map(|p| p[1]).fold(24.0_f64, f64::max) * 1.7; // headroom for the legend above the data
    let shade = |ui: &Ui, tone: Tone, alpha: f32| theme::tone(ui, tone).gamma_multiply(alpha);
    let window_fill = shade(ui, Tone::Info, 0.18);
    let gap_fill = shade(ui, Tone::Warn, 0.22);
    let colors = (
        theme::tone(ui, Tone::App),
        theme::tone(ui, Tone::FileSystem),
        theme::tone(ui, Tone::Crash),
        theme::tone(ui, Tone::Error),
    );
    Plot::new(id)
        .height(260.0)
        .legend(Legend::default())
        .x_axis_label("days (0 = now)")
        .y_axis_label("hours")
        .include_y(0.0)
        // Headroom above the data, where the legend sits without covering it.
        .include_y(top * 1.9)
        .include_x(0.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            let band = |name: &str, (a, b): (f64, f64), fill: egui::Color32| {
                Polygon::new(
                    name,
                    PlotPoints::from(vec![[a, 0.0], [b, 0.0], [b, top], [a, top]]),
                )
                .fill_color(fill)
                .stroke(egui::Stroke::NONE)
            };
            for w in &t.windows {
                plot.polygon(band("Minimum-frequency window", *w, window_fill));
            }
            for g in &t.gaps {
                plot.polygon(band("Gap", *g, gap_fill));
            }
            plot.line(
                Line::new("Consistency debt (hours)", PlotPoints::from(t.debt.clone()))
                    .color(colors.3)
                    .width(1.5)
                    // Vertical drops share an x: band aggregation would fill the sawtooth.
                    .allow_band(false),
            );
            for (name, series, color) in [
                ("Application-consistent", &t.app, colors.0),
                ("File-system consistent", &t.file_system, colors.1),
                ("Crash-consistent", &t.crash, colors.2),
            ] {
                if !series.is_empty() {
                    plot.points(
                        Points::new(name, PlotPoints::from(series.clone()))
                            .shape(MarkerShape::Circle)
                            .filled(true)
                            .radius(4.0)
                            .color(color),
                    );
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_309_200;
    const H: i64 = 3_600;

    #[test]
    fn points_split_by_mode_with_windows_of_their_minimum_frequency() {
        let t = timeline(
            &[
                (NOW - 48 * H, Some(ConsistencyMode::ApplicationConsistent)),
                (NOW - 24 * H, Some(ConsistencyMode::CrashConsistent)),
                (NOW - 12 * H, Some(ConsistencyMode::FileSystemConsistent)),
            ],
            NOW,
        );
        assert_eq!((t.app.len(), t.crash.len(), t.file_system.len()), (1, 1, 1));
        let width = |w: (f64, f64)| ((w.1 - w.0) * 24.0).round();
        assert_eq!(width(t.windows[0]), 3.0, "application-consistent: 3 h");
        assert_eq!(width(t.windows[1]), 1.0, "crash-consistent: 1 h");
        assert_eq!(
            width(t.windows[2]),
            3.0,
            "file-system came from an app request"
        );
    }

    #[test]
    fn debt_counts_hours_since_the_last_application_consistent_point() {
        let t = timeline(
            &[
                (NOW - 30 * H, None),
                (NOW - 20 * H, Some(ConsistencyMode::CrashConsistent)),
                (NOW - 10 * H, Some(ConsistencyMode::ApplicationConsistent)),
            ],
            NOW,
        );
        assert_eq!(t.debt_now_hours, Some(10.0));
        // 0 at the first, 20 h just before the second app point, 0 after, 10 h now.
        let ys: Vec<f64> = t.debt.iter().map(|p| p[1]).collect();
        assert_eq!(ys, vec![0.0, 20.0, 0.0, 10.0]);
    }

    #[test]
    fn a_missing_day_in_a_daily_schedule_is_a_gap() {
        let days = [10, 9, 8, 5, 4];
        let points: Vec<_> = days.iter().map(|d| (NOW - d * 24 * H, None)).collect();
        let t = timeline(&points, NOW);
        assert_eq!(t.gaps.len(), 1);
        assert!((t.gaps[0].0 + 8.0).abs() < 1e-9 && (t.gaps[0].1 + 5.0).abs() < 1e-9);
    }

    #[test]
    fn only_crash_points_mean_no_debt_line() {
        let t = timeline(&[(NOW - H, Some(ConsistencyMode::CrashConsistent))], NOW);
        assert!(t.debt.is_empty());
        assert_eq!(t.debt_now_hours, None);
    }
}
