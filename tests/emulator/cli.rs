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

/// Runs `rpdesk emulator ARGS` with `envs` for at most 10 s; its exit status (`None` if it
/// was still serving, then killed) and stderr.
fn run_briefly(args: &[&str], envs: &[(&str, &str)]) -> (Option<std::process::ExitStatus>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .arg("emulator")
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    (status, stderr)
}

#[test]
fn an_empty_or_blank_token_is_refused_not_taken_as_no_token() {
    for token in ["", "   "] {
        let (status, stderr) = run_briefly(&["--listen", "127.0.0.1:0", "--token", token], &[]);
        assert!(
            status.is_some_and(|s| !s.success()),
            "--token {token:?} was accepted: {status:?} {stderr}"
        );
        assert!(stderr.contains("token is empty"), "{stderr}");
    }
    let (status, stderr) = run_briefly(
        &["--listen", "127.0.0.1:0"],
        &[("RPDESK_EMULATOR_TOKEN", " ")],
    );
    assert!(status.is_some_and(|s| !s.success()), "{stderr}");
    assert!(stderr.contains("token is empty"), "{stderr}");
}

#[test]
fn the_token_can_come_from_the_environment_and_help_does_not_show_it() {
    let help = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args(["emulator", "--help"])
        .env("RPDESK_EMULATOR_TOKEN", "env-s3cret")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("RPDESK_EMULATOR_TOKEN"), "{help}");
    assert!(!help.contains("env-s3cret"), "{help}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--estate", "empty"])
        .env("RPDESK_EMULATOR_TOKEN", "env-s3cret")
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
        let base = line.trim().trim_start_matches("listening on ").to_owned();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let http = reqwest::Client::new();
            let url = format!("{base}/subscriptions?api-version=2022-12-01");
            let status = |token: &'static str| {
                let req = http.get(&url).bearer_auth(token);
                async move {
                    req.send()
                        .await
                        .map(|r| r.status().as_u16())
                        .map_err(|e| e.to_string())
                }
            };
            let (other, right) = (status("other").await?, status("env-s3cret").await?);
            if (other, right) != (401, 200) {
                return Err(format!("other token {other}, the env token {right}"));
            }
            Ok(())
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}

#[test]
fn a_clock_speed_that_is_not_a_positive_finite_number_is_refused() {
    for speed in ["0", "-1", "NaN", "nan", "inf", "-inf", "1e400", "fast"] {
        let (status, stderr) = run_briefly(
            &[
                "--listen",
                "127.0.0.1:0",
                "--estate",
                "empty",
                "--speed",
                speed,
            ],
            &[],
        );
        assert!(
            status.is_some_and(|s| !s.success()),
            "--speed {speed} was accepted: {status:?} {stderr}"
        );
        assert!(stderr.contains("clock speed"), "--speed {speed}: {stderr}");
    }
}
