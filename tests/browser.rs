//! Headless Chromium through ChromeDriver, over WebDriver's HTTP protocol: enough to load a
//! page, run scripts in it, resize it and take screenshots.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Browser {
    driver: Child,
    session_url: String,
    agent: ureq::Agent,
}

/// Finds the widget's shadow root; every script below starts with it.
const ROOT: &str = "const R = () => { const host = [...document.body.children].find(e => e.shadowRoot); return host && host.shadowRoot; };\n";

impl Browser {
    pub fn launch(width: u32, height: u32) -> Browser {
        let port = xtask::local_edge::free_port().expect("a free port");
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (cargo xtask test installs it)");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!("nimchat-chromium-{}", crate::unique()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                     format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.display())]
        }}}});
        let reply: Value = agent
            .post(format!("{base}/session"))
            .send_json(&capabilities)
            .expect("a session")
            .body_mut()
            .read_json()
            .expect("JSON");
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"));
        Browser {
            driver,
            session_url: format!("{base}/session/{session}"),
            agent,
        }
    }

    fn command(&self, path: &str, body: Value) -> Value {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.session_url))
            .send_json(&body)
            .expect("WebDriver");
        let reply: Value = response.body_mut().read_json().expect("JSON");
        if reply["value"].get("error").is_some() {
            panic!("WebDriver {path}: {}", reply["value"]);
        }
        reply["value"].clone()
    }

    /// Runs `source` in every page before its own scripts (ChromeDriver's CDP bridge).
    pub fn before_each_page(&self, source: &str) {
        self.command(
            "/goog/cdp/execute",
            json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}}),
        );
    }

    pub fn goto(&self, url: &str) {
        self.command("/url", json!({"url": url}));
    }

    /// Runs `script` (with `R()` for the widget's shadow root) and answers what it returns.
    pub fn eval(&self, script: &str, args: Value) -> Value {
        self.command(
            "/execute/sync",
            json!({"script": format!("{ROOT}{script}"), "args": args}),
        )
    }

    /// Polls `condition` until it returns something truthy, and answers that.
    pub fn wait_for(&self, what: &str, condition: &str, args: Value) -> Value {
        self.wait_for_within(Duration::from_secs(20), what, condition, args)
    }

    /// `wait_for` with its own limit, for what a slowed network makes slow.
    pub fn wait_for_within(&self, limit: Duration, what: &str, condition: &str, args: Value) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(
                &format!("try {{ {condition} }} catch (e) {{ return null; }}"),
                args.clone(),
            );
            if !(value.is_null() || value == json!(false)) {
                return value;
            }
            assert!(started.elapsed() < limit, "waited {limit:?} for {what}");
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Runs `script` as WebDriver's asynchronous script: it ends by calling `done(value)`.
    pub fn eval_async(&self, script: &str, args: Value) -> Value {
        self.command(
            "/execute/async",
            json!({"script": format!("{ROOT}const done = arguments[arguments.length - 1];\n{script}"), "args": args}),
        )
    }

    /// Presses keys as a person would (WebDriver's key codes: `\u{E004}` Tab, `\u{E007}` Enter).
    pub fn press(&self, keys: &str) {
        let strokes: Vec<Value> = keys
            .chars()
            .flat_map(|key| {
                let key = key.to_string();
                [
                    json!({"type": "keyDown", "value": key}),
                    json!({"type": "keyUp", "value": key}),
                ]
            })
            .collect();
        self.command(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": strokes}]}),
        );
    }

    /// Makes pages prefer the `dark` or `light` colour scheme, as the system setting does.
    pub fn prefer_color_scheme(&self, scheme: &str) {
        self.command(
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia",
                   "params": {"features": [{"name": "prefers-color-scheme", "value": scheme}]}}),
        );
    }

    /// Cuts the page off the network (`true`) or brings it back.
    pub fn offline(&self, offline: bool) {
        self.network(offline, 0, -1);
    }

    /// Every request of the page takes `latency_ms` longer.
    pub fn slow_network(&self, latency_ms: u32) {
        self.network(false, latency_ms, -1);
    }

    /// The page sends at most `bytes_per_second` (`-1`: as fast as it can).
    pub fn slow_uploads(&self, bytes_per_second: i64) {
        self.network(false, 0, bytes_per_second);
    }

    fn network(&self, offline: bool, latency_ms: u32, upload_throughput: i64) {
        self.command("/goog/cdp/execute", json!({"cmd": "Network.enable", "params": {}}));
        self.command(
            "/goog/cdp/execute",
            json!({"cmd": "Network.emulateNetworkConditions", "params": {
                "offline": offline, "latency": latency_ms, "downloadThroughput": -1,
                "uploadThroughput": upload_throughput}}),
        );
    }

    /// Requests to addresses that match one of `patterns` (`*` for any text) fail.
    pub fn block_urls(&self, patterns: &[&str]) {
        self.command("/goog/cdp/execute", json!({"cmd": "Network.enable", "params": {}}));
        self.command(
            "/goog/cdp/execute",
            json!({"cmd": "Network.setBlockedURLs", "params": {"urls": patterns}}),
        );
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.command("/window/rect", json!({"width": width, "height": height}));
    }

    pub fn screenshot(&self, path: &Path) {
        let mut response = self
            .agent
            .get(format!("{}/screenshot", self.session_url))
            .call()
            .expect("WebDriver");
        let reply: Value = response.body_mut().read_json().expect("JSON");
        let png = decode_base64(reply["value"].as_str().expect("base64 PNG"));
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
        std::fs::write(path, png).expect("the screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.session_url).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .map(value)
        .collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .fold(0u32, |bits, (i, digit)| bits | (u32::from(*digit) << (18 - 6 * i)));
            let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(super::decode_base64("TWFu"), b"Man");
        assert_eq!(super::decode_base64("TWE="), b"Ma");
        assert_eq!(super::decode_base64("TQ=="), b"M");
    }
}
