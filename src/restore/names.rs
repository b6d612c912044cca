//! Azure's naming rules for what a restore creates (Microsoft's "Naming rules and
//! restrictions for Azure resources"), the run id, and default names.

use crate::model::{OsType, Timestamp};

/// Why a name is not allowed, in plain words; `None` if it is.
pub fn disk_name_problem(name: &str) -> Option<String> {
    name_problem(name, "Disk", 80)
}

/// NIC names follow the same rules as disk names.
pub fn nic_name_problem(name: &str) -> Option<String> {
    name_problem(name, "Network interface", 80)
}

/// Disks and NICs: 1–80 letters, digits, `_`, `.`, `-`; start with a letter or digit; end
/// with a letter, digit or `_`.
fn name_problem(name: &str, what: &str, max: usize) -> Option<String> {
    if name.is_empty() {
        return Some(format!("{what} name is empty"));
    }
    if name.chars().count() > max {
        return Some(format!(
            "{what} name is {} characters; Azure allows at most {max}",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Some(format!(
            "{what} name may only hold letters, digits, '_', '.' and '-', not {c:?}"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some(format!("{what} name must start with a letter or a digit"));
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return Some(format!(
            "{what} name must end with a letter, a digit or '_'"
        ));
    }
    None
}

/// The longest VM name Azure documents for the OS: 15 for Windows (the name becomes the
/// computer name), 64 for Linux.
pub fn max_vm_name_len(os: Option<&OsType>) -> usize {
    match os {
        Some(OsType::Windows) => 15,
        _ => 64,
    }
}

/// VM names: letters, digits and `-` (no spaces, `_` or `.`), not starting or ending with
/// `-`, at most [`max_vm_name_len`] characters.
pub fn vm_name_problem(name: &str, os: Option<&OsType>) -> Option<String> {
    let max = max_vm_name_len(os);
    if name.is_empty() {
        return Some("VM name is empty".into());
    }
    if name.chars().count() > max {
        let os = if max == 15 { "Windows " } else { "" };
        return Some(format!(
            "VM name is {} characters; Azure allows at most {max} for a {os}VM",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Some(format!(
            "VM name may only hold letters, digits and '-', not {c:?}"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("VM name must not start or end with '-'".into());
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return Some("VM name must not be only digits".into());
    }
    None
}

/// A run id that sorts by time and fits in a tag: `r20261130-0107-3fa2`.
pub fn run_id(now_unix: i64, salt: u16) -> String {
    let t = Timestamp::from_unix_secs(now_unix).0;
    format!(
        "r{:04}{:02}{:02}-{:02}{:02}-{salt:04x}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `base` cut to `max` characters, without a trailing `-`, `.` or `_` left by the cut.
pub fn truncate_name(base: &str, max: usize) -> String {
    let cut: String = base.chars().take(max).collect();
    cut.trim_end_matches(['-', '.', '_']).to_owned()
}

/// The first of `base`, `base-2`, `base-3`… (each within `max`) that `taken` refuses.
pub fn first_free(base: &str, max: usize, taken: impl Fn(&str) -> bool) -> String {
    let first = truncate_name(base, max);
    if !taken(&first) {
        return first;
    }
    for n in 2..100 {
        let suffix = format!("-{n}");
        let candidate = format!(
            "{}{suffix}",
            truncate_name(base, max.saturating_sub(suffix.len()))
        );
        if !taken(&candidate) {
            return candidate;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_names_follow_azure_rules() {
        assert_eq!(disk_name_problem("sql-prod-01_data.1"), None);
        assert!(disk_name_problem("").is_some());
        assert!(disk_name_problem(&"a".repeat(81)).is_some());
        assert!(disk_name_problem("bad name").is_some());
        assert!(disk_name_problem("-leading").is_some());
        assert!(disk_name_problem("trailing.").is_some());
        assert_eq!(disk_name_problem("trailing_"), None);
    }

    #[test]
    fn windows_vm_names_are_short_and_never_hold_dots() {
        assert_eq!(vm_name_problem("web-01-r", Some(&OsType::Linux)), None);
        assert!(vm_name_problem("sql-prod-01-restored", Some(&OsType::Windows)).is_some());
        assert_eq!(
            vm_name_problem("sql-prod-01-r", Some(&OsType::Windows)),
            None
        );
        assert!(vm_name_problem("a.b", None).is_some());
        assert!(vm_name_problem("1234", None).is_some());
        assert!(vm_name_problem("-x", None).is_some());
    }

    #[test]
    fn free_names_count_up_within_the_limit() {
        let taken = ["disk", "disk-2"];
        assert_eq!(first_free("disk", 80, |n| taken.contains(&n)), "disk-3");
        assert_eq!(first_free("abcdef-", 5, |_| false), "abcde");
        assert_eq!(first_free("abcdef", 5, |n| n == "abcde"), "abc-2");
    }

    #[test]
    fn run_ids_sort_by_time() {
        assert_eq!(run_id(1_795_309_200, 0x3fa2), "r20261122-0100-3fa2");
        assert!(run_id(1_795_309_200, 9) < run_id(1_795_309_260, 0));
    }
}
