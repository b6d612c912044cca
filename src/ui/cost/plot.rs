//! The projection plot: policy A's monthly cost month by month, stacked by VM or by disk,
//! with policy B's total as a dashed line; money on a labelled axis with its currency.
//! The legend sits above the plot, so it never covers the data.

use egui::{RichText, Ui};
use egui_plot::{FilledArea, Line, LineStyle, Plot, PlotPoints, uniform_grid_spacer};

use super::super::state::UiState;
use super::super::theme::{self, Tone};
use crate::cost::{CostModel, Projection, StackBy, format_money};

/// A legend entry: a filled swatch, or a dashed line, and its text. An entry never
/// breaks: when it does not fit the row, it starts the next.
fn swatch_ui(ui: &mut Ui, colour: egui::Color32, dashed: bool, text: &str) {
    let text = RichText::new(text).small();
    let galley = egui::WidgetText::from(text.clone()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Small,
    );
    // With room to spare: the row wraps a label that only just fits.
    let width = 18.0 + ui.spacing().item_spacing.x * 2.0 + galley.size().x + 24.0;
    if ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
    let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 10.0), egui::Sense::hover());
    if dashed {
        let y = rect.center().y;
        let stroke = egui::Stroke::new(2.0, colour);
        for i in 0..3 {
            let x = rect.left() + i as f32 * 7.0;
            ui.painter()
                .line_segment([egui::pos2(x, y), egui::pos2(x + 4.0, y)], stroke);
        }
    } else {
        ui.painter().rect_filled(rect, 2.0, colour);
    }
    ui.add(egui::Label::new(text).extend());
}

fn total_points(p: &Projection) -> PlotPoints<'static> {
    p.x_months
        .iter()
        .zip(&p.total)
        .map(|(x, t)| [*x, t.money])
        .collect::<Vec<_>>()
        .into()
}

/// Draws the stack choice, the legend and the plot.
pub fn projection_ui(
    ui: &mut Ui,
    id: &str,
    state: &mut UiState,
    model: &CostModel,
    currency: &str,
    height: f32,
) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("Projected monthly cost");
        ui.label("Stack policy A by");
        ui.radio_value(&mut state.cost.stack_by, StackBy::Vm, "VM");
        ui.radio_value(&mut state.cost.stack_by, StackBy::Disk, "Disk");
    });
    let [a, b] = &model.projections;
    let dark = ui.visuals().dark_mode;
    let colours: Vec<egui::Color32> = a
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.label == "Other" && i + 1 == a.series.len() {
                theme::tone(ui, Tone::Muted)
            } else {
                theme::series(i, dark)
            }
        })
        .collect();
    let b_colour = ui.visuals().strong_text_color();
    ui.horizontal_wrapped(|ui| {
        for (s, c) in a.series.iter().zip(&colours) {
            swatch_ui(
                ui,
                c.gamma_multiply(0.8),
                false,
                &format!("A · {}", s.label),
            );
        }
        swatch_ui(ui, b_colour, true, "Policy B, total");
    });
    let axis_currency = currency.to_owned();
    let hover_currency = currency.to_owned();
    Plot::new(id)
        .height(height)
        .x_axis_label("months from now")
        .y_axis_label(format!("{currency} per month"))
        .y_axis_formatter(move |mark, _| format_money(mark.value, &axis_currency))
        .x_grid_spacer(uniform_grid_spacer(|_| [1.0, 3.0, 12.0]))
        .label_formatter(move |hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\nmonth {:.2}: {} per month",
                position.x,
                format_money(position.y, &hover_currency)
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .include_x(0.0)
        .include_x(12.0)
        .include_y(0.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .show(ui, |plot| {
            let mut lower = vec![0.0; a.x_months.len()];
            for (s, colour) in a.series.iter().zip(&colours) {
                let upper: Vec<f64> = lower.iter().zip(&s.money).map(|(l, m)| l + m).collect();
                plot.add(
                    FilledArea::new(format!("A · {}", s.label), &a.x_months, &lower, &upper)
                        .fill_color(colour.gamma_multiply(0.55))
                        .stroke(egui::Stroke::new(1.0, *colour)),
                );
                lower = upper;
            }
            plot.line(
                Line::new("Policy B, total", total_points(b))
                    .color(b_colour)
                    .width(2.0)
                    .style(LineStyle::dashed_loose()),
            );
        });
}
