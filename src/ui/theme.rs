//! Design tokens: the only place with colour literals. Every other UI file asks for a
//! [`Tone`] and gets the colour for the current theme.

use egui::{Color32, Context, Theme, ThemePreference};

use super::state::ThemeChoice;

/// What a colour means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Warn,
    Error,
    Info,
    Muted,
    /// Application-consistent.
    App,
    /// Crash-consistent.
    Crash,
    /// File-system consistent (an application-consistent request that fell back).
    FileSystem,
    /// Text on a filled badge of any other tone.
    OnAccent,
}

/// The colour of a tone in the given theme.
pub fn color(tone: Tone, dark: bool) -> Color32 {
    match (tone, dark) {
        (Tone::Ok, true) => Color32::from_rgb(0x5c, 0xc9, 0x7b),
        (Tone::Ok, false) => Color32::from_rgb(0x1a, 0x7f, 0x37),
        (Tone::Warn, true) => Color32::from_rgb(0xe8, 0xb3, 0x39),
        (Tone::Warn, false) => Color32::from_rgb(0x9a, 0x67, 0x00),
        (Tone::Error, true) => Color32::from_rgb(0xf2, 0x6d, 0x6d),
        (Tone::Error, false) => Color32::from_rgb(0xc0, 0x24, 0x24),
        (Tone::Info, true) => Color32::from_rgb(0x6c, 0xb6, 0xff),
        (Tone::Info, false) => Color32::from_rgb(0x0b, 0x5c, 0xad),
        (Tone::Muted, true) => Color32::from_gray(0x90),
        (Tone::Muted, false) => Color32::from_gray(0x6a),
        (Tone::App, true) => Color32::from_rgb(0x7d, 0xd3, 0xc0),
        (Tone::App, false) => Color32::from_rgb(0x0e, 0x6e, 0x5c),
        (Tone::Crash, true) => Color32::from_rgb(0xc7, 0xa0, 0xff),
        (Tone::Crash, false) => Color32::from_rgb(0x6a, 0x3d, 0xb8),
        (Tone::FileSystem, true) => Color32::from_rgb(0xff, 0xa6, 0x57),
        (Tone::FileSystem, false) => Color32::from_rgb(0xa8, 0x4a, 0x00),
        (Tone::OnAccent, true) => Color32::from_gray(0x12),
        (Tone::OnAccent, false) => Color32::WHITE,
    }
}

/// Colours for stacked series, told apart in both themes (the cost projection's bands);
/// a band gathering the rest uses [`Tone::Muted`].
const SERIES_DARK: [(u8, u8, u8); 8] = [
    (0x6c, 0xb6, 0xff),
    (0xff, 0xa6, 0x57),
    (0x7d, 0xd3, 0xc0),
    (0xc7, 0xa0, 0xff),
    (0xf2, 0x8d, 0xb2),
    (0xe8, 0xd3, 0x5a),
    (0x5c, 0xc9, 0x7b),
    (0xa8, 0xb5, 0xc8),
];
const SERIES_LIGHT: [(u8, u8, u8); 8] = [
    (0x0b, 0x5c, 0xad),
    (0xc0, 0x5a, 0x00),
    (0x0e, 0x6e, 0x5c),
    (0x6a, 0x3d, 0xb8),
    (0xb0, 0x30, 0x6a),
    (0x8a, 0x70, 0x00),
    (0x1a, 0x7f, 0x37),
    (0x4a, 0x5a, 0x70),
];

/// The colour of the `i`th stacked series in the given theme.
pub fn series(i: usize, dark: bool) -> Color32 {
    let table = if dark { &SERIES_DARK } else { &SERIES_LIGHT };
    let (r, g, b) = table[i % table.len()];
    Color32::from_rgb(r, g, b)
}

/// The colour of a tone for the UI's current theme.
pub fn tone(ui: &egui::Ui, tone: Tone) -> Color32 {
    color(tone, ui.visuals().dark_mode)
}

/// Applies the theme choice and the house style to both themes.
pub fn apply(ctx: &Context, choice: ThemeChoice) {
    ctx.set_theme(match choice {
        ThemeChoice::System => ThemePreference::System,
        ThemeChoice::Light => ThemePreference::Light,
        ThemeChoice::Dark => ThemePreference::Dark,
    });
    for theme in [Theme::Dark, Theme::Light] {
        ctx.style_mut_of(theme, |style| {
            style.spacing.item_spacing = egui::vec2(8.0, 4.0);
            style.spacing.button_padding = egui::vec2(6.0, 3.0);
            style.interaction.selectable_labels = false;
            if theme == Theme::Light {
                style.visuals.panel_fill = Color32::from_gray(0xf6);
                style.visuals.faint_bg_color = Color32::from_gray(0xee);
            }
        });
    }
}
