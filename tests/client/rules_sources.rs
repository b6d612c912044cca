//! Every rule stays traceable to the words it implements: each quoted phrase a rule
//! attributes to a seed document occurs in that seed.
//!
//! The seeds are Microsoft's documents rpdesk is built from; they are not part of the
//! project. `RPDESK_SEEDS` names the folder holding them (`.ci/run` sets it when the
//! folder is there); without it the test says so and passes.

use std::path::{Path, PathBuf};

use rpdesk::rules::{Document, catalogue};

/// Whitespace runs (spaces, tabs, newlines, no-break spaces) become one space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The seed file numbered `number` (`002_….txt`) in `dir`.
fn seed_file(dir: &Path, number: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{number}_")))
        })
}

#[test]
fn every_quoted_phrase_occurs_in_the_seed_it_names() {
    let Some(dir) = std::env::var_os("RPDESK_SEEDS").map(PathBuf::from) else {
        eprintln!("note: RPDESK_SEEDS is not set; the rules' seed quotes were not checked");
        return;
    };
    let mut checked = 0;
    let mut missing = Vec::new();
    for rule in catalogue() {
        for c in rule.source.citations() {
            let Document::Seed(number) = c.document else {
                continue;
            };
            let Some(path) = seed_file(&dir, number) else {
                missing.push(format!(
                    "{}: no seed {number} in {}",
                    rule.id,
                    dir.display()
                ));
                continue;
            };
            let seed = normalize(&std::fs::read_to_string(&path).unwrap_or_default());
            // ` … ` marks a cut: each piece must occur, in order.
            let mut from = 0;
            for piece in c.quote.split('…').map(normalize).filter(|p| !p.is_empty()) {
                match seed[from..].find(&piece) {
                    Some(at) => from += at + piece.len(),
                    None => missing.push(format!("{}: seed {number} has no \"{piece}\"", rule.id)),
                }
            }
            checked += 1;
        }
    }
    eprintln!("{checked} seed quotes checked");
    assert!(checked > 0);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
