//! A small client of the Chrome `DevTools` protocol, enough to drive headless Chromium from a
//! test: launch it with `--remote-debugging-pipe` (JSON messages ending in NUL, commands on
//! its fd 3, replies and events on its fd 4; `sh` wires those to our pipes), open a tab,
//! navigate, evaluate, type, take screenshots, and keep every event for the checks.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one reply or event may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The flags Chromium runs with: headless, as root in a container, and quiet on the network
/// (no component updates, no sync, no background requests of its own).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--remote-debugging-pipe",
];

/// The `file://` URL of `page` in the folder `dir`.
pub(crate) fn file_url(dir: &Path, page: &str) -> String {
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    format!("file://{}", absolute.join(page).display())
}

/// The Chromium binary: `$EXEV_CHROMIUM`, else the first of `chromium`, `chromium-browser`,
/// `google-chrome` on the `PATH`.
pub(crate) fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("EXEV_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A running Chromium.
pub(crate) struct Browser {
    child: Child,
    commands: ChildStdin,
    replies: Receiver<Value>,
    next_id: u64,
    /// Events received but not yet waited for.
    pending: VecDeque<Value>,
    /// Every event received, in order.
    pub(crate) log: Vec<Value>,
    profile: PathBuf,
}

impl Browser {
    /// Starts `binary` with a fresh profile in `profile` (removed again on drop).
    pub(crate) fn launch(binary: &Path, profile: &Path) -> Result<Browser, String> {
        let _ = std::fs::remove_dir_all(profile);
        std::fs::create_dir_all(profile).map_err(|e| format!("{}: {e}", profile.display()))?;
        let stderr = std::fs::File::create(profile.with_extension("log"))
            .map_err(|e| format!("chromium's log: {e}"))?;
        let mut child = Command::new("sh")
            .arg("-c")
            // fd 3 reads our commands, fd 4 writes to us; Chromium's own output goes to stderr.
            .arg(r#"exec 3<&0 4>&1 0</dev/null 1>&2; exec "$0" "$@""#)
            .arg(binary)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let commands = child.stdin.take().ok_or("no pipe to chromium")?;
        let output = child.stdout.take().ok_or("no pipe from chromium")?;
        let (send, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).unwrap_or(0) > 0 {
                if message.last() == Some(&0) {
                    message.pop();
                }
                if let Ok(value) = serde_json::from_slice::<Value>(&message)
                    && send.send(value).is_err()
                {
                    break;
                }
                message.clear();
            }
        });
        Ok(Browser {
            child,
            commands,
            replies,
            next_id: 0,
            pending: VecDeque::new(),
            log: Vec::new(),
            profile: profile.to_path_buf(),
        })
    }

    fn receive(&mut self, deadline: Instant) -> Result<Value, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.replies.recv_timeout(left) {
            Ok(message) => {
                if message.get("method").is_some() {
                    self.log.push(message.clone());
                }
                Ok(message)
            }
            Err(RecvTimeoutError::Timeout) => Err("chromium did not answer in time".to_owned()),
            Err(RecvTimeoutError::Disconnected) => Err(format!(
                "chromium went away (its log: {})",
                self.profile.with_extension("log").display()
            )),
        }
    }

    /// Sends `method` (to the tab `session`, or the browser) and waits for its result.
    pub(crate) fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            command["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&command).map_err(|e| e.to_string())?;
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .and_then(|()| self.commands.flush())
            .map_err(|e| format!("{method}: {e}"))?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .map_err(|e| format!("{method}: {e}"))?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    return Err(format!("{method}: {error}"));
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
            if message.get("method").is_some() {
                self.pending.push_back(message);
            }
        }
    }

    /// Waits for the event `method` on `session`.
    pub(crate) fn wait_for(&mut self, session: &str, method: &str) -> Result<Value, String> {
        let matches = |m: &Value| {
            m.get("method").and_then(Value::as_str) == Some(method)
                && m.get("sessionId").and_then(Value::as_str) == Some(session)
        };
        if let Some(i) = self.pending.iter().position(matches) {
            return Ok(self.pending.remove(i).unwrap_or(Value::Null));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .map_err(|e| format!("{method}: {e}"))?;
            if matches(&message) {
                return Ok(message);
            }
            if message.get("method").is_some() {
                self.pending.push_back(message);
            }
        }
    }

    /// Opens a tab and attaches to it, with the page, network, runtime and log domains on.
    pub(crate) fn tab(&mut self) -> Result<Tab<'_>, String> {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let target_id = target["targetId"].clone();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or("no session")?
            .to_owned();
        for domain in ["Page", "Network", "Runtime", "Log"] {
            self.call(Some(&session), &format!("{domain}.enable"), json!({}))?;
        }
        Ok(Tab {
            browser: self,
            session,
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call(None, "Browser.close", json!({}));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// One tab of the browser.
pub(crate) struct Tab<'b> {
    pub(crate) browser: &'b mut Browser,
    session: String,
}

impl Tab<'_> {
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.browser.call(Some(&self.session), method, params)
    }

    /// Loads `url` and waits for its load event.
    pub(crate) fn navigate(&mut self, url: &str) -> Result<(), String> {
        let session = self.session.clone();
        self.browser.pending.retain(|m| {
            !(m.get("method").and_then(Value::as_str) == Some("Page.loadEventFired")
                && m.get("sessionId").and_then(Value::as_str) == Some(session.as_str()))
        });
        let result = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            return Err(format!("{url}: {error}"));
        }
        self.browser.wait_for(&session, "Page.loadEventFired")?;
        Ok(())
    }

    /// The value of the JavaScript expression `expression` (awaited if a promise).
    pub(crate) fn eval(&mut self, expression: &str) -> Result<Value, String> {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        )?;
        if let Some(exception) = result.get("exceptionDetails") {
            return Err(format!("{expression}: {exception}"));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Lays the page out `width` CSS pixels wide (a phone below 600), in `scheme` (`light` or
    /// `dark`).
    pub(crate) fn viewport(&mut self, width: u32, scheme: &str) -> Result<(), String> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
        )?;
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )?;
        Ok(())
    }

    /// A PNG of the whole page (up to `max_height` pixels tall) at the current width.
    pub(crate) fn screenshot(&mut self, max_height: u64) -> Result<Vec<u8>, String> {
        let size = self.eval(
            "[document.documentElement.clientWidth, Math.ceil(document.documentElement.scrollHeight)]",
        )?;
        let width = size[0].as_u64().ok_or("no width")?;
        let height = size[1].as_u64().ok_or("no height")?.min(max_height);
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            }),
        )?;
        let data = shot["data"].as_str().ok_or("no screenshot data")?;
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("screenshot: {e}"))
    }

    /// Types `text` into the focused element, as an input method commits it.
    pub(crate) fn type_text(&mut self, text: &str) -> Result<(), String> {
        self.call("Input.insertText", json!({"text": text}))?;
        Ok(())
    }

    /// Presses and releases the key `key` (`Backspace`), with its Windows key code.
    pub(crate) fn press(&mut self, key: &str, code: u32) -> Result<(), String> {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}),
            )?;
        }
        Ok(())
    }

    /// Every URL the tab requested so far (`Network.requestWillBeSent`), in order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.events("Network.requestWillBeSent")
            .iter()
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_owned))
            .collect()
    }

    /// The tab's events called `method`, so far.
    pub(crate) fn events(&self, method: &str) -> Vec<Value> {
        self.browser
            .log
            .iter()
            .filter(|m| {
                m.get("method").and_then(Value::as_str) == Some(method)
                    && m.get("sessionId").and_then(Value::as_str) == Some(self.session.as_str())
            })
            .cloned()
            .collect()
    }
}
