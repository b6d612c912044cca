//! Every non-ASCII character the UI's code writes in a string is in the fonts the app
//! bundles: egui draws a missing one as nothing (and panics in tests), and a symbol shown
//! only in a rare state (a resumed run's skipped step) would go unseen until then.

use crate::ui_support::*;

/// Non-ASCII characters inside string literals of `text` (comments left out).
fn literal_chars(text: &str, out: &mut std::collections::BTreeMap<char, String>, file: &str) {
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut inside = false;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if inside && !escaped => {
                    escaped = true;
                    continue;
                }
                '"' if !escaped => inside = !inside,
                c if inside && !c.is_ascii() => {
                    out.entry(c).or_insert_with(|| format!("{file}:{}", n + 1));
                }
                _ => {}
            }
            escaped = false;
        }
    }
}

fn ui_sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ui is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ui_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_glyph_the_ui_writes_is_in_the_bundled_fonts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    ui_sources(&root.join("src/ui"), &mut files);
    let mut chars = std::collections::BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        literal_chars(&text, &mut chars, &name);
    }
    assert!(chars.contains_key(&'…'), "the scan reads the UI's strings");

    let mut h = harness(app_options(None));
    h.run_steps(2);
    let missing: Vec<String> = h.ctx.fonts_mut(|fonts| {
        chars
            .iter()
            .filter(|(c, _)| {
                !fonts.has_glyph(&egui::FontId::proportional(14.0), **c)
                    || !fonts.has_glyph(&egui::FontId::monospace(14.0), **c)
            })
            .map(|(c, at)| format!("{c:?} (U+{:04X}) at {at}", u32::from(*c)))
            .collect()
    });
    assert!(
        missing.is_empty(),
        "not in the fonts:\n{}",
        missing.join("\n")
    );
}
