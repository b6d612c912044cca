//! Microsoft's Azure SDK for Python drives the emulator unchanged (tests/python/).
//!
//! Runs when `RPDESK_PYTHON_SDK=1` (set by `.ci/run`, which needs PyPI for the venv);
//! otherwise it says so and checks nothing.

use std::process::Command;

#[test]
fn azure_sdk_for_python_drives_the_whole_lifecycle() {
    if std::env::var("RPDESK_PYTHON_SDK").ok().as_deref() != Some("1") {
        println!("RPDESK_PYTHON_SDK is not 1: skipping the Azure SDK for Python test");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/run.sh");
    let output = Command::new("bash")
        .arg(script)
        .env("RPDESK_BIN", env!("CARGO_BIN_EXE_rpdesk"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "the Python SDK test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("passed"), "pytest ran no test:\n{stdout}");
}
