//! `rpdesk emulator` prints `listening on http://ADDR` as its first line and serves there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn rpdesk_emulator_prints_its_address_first_and_serves_the_subscriptions() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--estate",
            "demo",
            "--speed",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(30));
    let result = (|| {
        let line = line.map_err(|e| format!("no first line: {e}"))?;
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line {line:?}"))?
            .to_owned();
        if !base.starts_with("http://127.0.0.1:") {
            return Err(format!("not a loopback URL: {base}"));
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let http = reqwest::Client::new();
            let url = format!("{base}/subscriptions?api-version=2022-12-01");
            let ok = http
                .get(&url)
                .bearer_auth("x")
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let body: serde_json::Value = ok.json().await.map_err(|e| e.to_string())?;
            if body["value"].as_array().map_or(0, Vec::len) < 3 {
                return Err(format!("fewer than 3 subscriptions: {body}"));
            }
            let denied = http.get(&url).send().await.map_err(|e| e.to_string())?;
            if denied.status().as_u16() != 401 {
                return Err(format!(
                    "expected 401 without a token, got {}",
                    denied.status()
                ));
            }
            Ok(())
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}

#[test]
fn rpdesk_emulator_rejects_an_unknown_estate() {
    let out = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--estate",
            "nonsense",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown estate"));
}

#[test]
fn a_wildcard_listen_prints_the_real_address_and_warns_that_it_is_reachable() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args(["emulator", "--listen", "0.0.0.0:0", "--estate", "empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let out_tx = tx.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = out_tx.send(format!("stdout: {line}"));
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("reachable from the network") {
                let _ = tx.send(format!("stderr: {line}"));
            }
        }
    });
    let mut got = Vec::new();
    while got.len() < 2 {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => got.push(line),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    got.sort();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("stderr: ") && got[0].contains("0.0.0.0:"),
        "{got:?}"
    );
    assert!(
        got[1].starts_with("stdout: listening on http://0.0.0.0:"),
        "{got:?}"
    );
}
