//! A small W3C WebDriver client over plain HTTP (ureq), enough for the review's browser
//! tests: Debian's chromedriver started on a free loopback port with headless Chromium,
//! navigation, elements, clicks, keys, pointer drags, scripts and screenshots. Both
//! processes are stopped when the [`Browser`] is dropped.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether Chromium and chromedriver are installed (packaging/setup-debian.sh installs them).
pub fn available() -> bool {
    std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists()
}

/// A headless Chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
}

/// An element reference.
#[derive(Clone)]
pub struct El(String);

impl Browser {
    pub fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = agent
                .get(&format!("{root}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--force-device-scale-factor=1", "--lang=en-US"]
            }
        }}});
        let mut b = Browser { driver, base: root.clone(), agent };
        let v = b.call("POST", "/session", Some(caps));
        let id = v["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_owned();
        b.base = format!("{root}/session/{id}");
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let v: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
        assert!(status < 400, "{method} {path}: {status} {v}");
        v["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap_or_default().to_owned()
    }

    pub fn find(&self, css: &str) -> El {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = format!("{}/element", self.base);
            let mut resp = self
                .agent
                .post(&url)
                .send_json(json!({ "using": "css selector", "value": css }))
                .unwrap();
            let ok = resp.status().as_u16() < 400;
            let v: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
            if ok {
                return El(v["value"][ELEMENT]
                    .as_str()
                    .unwrap_or_else(|| panic!("{css}: {v}"))
                    .to_owned());
            }
            assert!(Instant::now() < deadline, "no element {css}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn click(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{}/click", el.0), None);
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{}/clear", el.0), None);
        self.call("POST", &format!("/element/{}/value", el.0), Some(json!({ "text": text })));
    }

    /// Clicks `css`, which loads another page (a form submit, a link), and waits until that
    /// page has replaced this one, so nothing is then read from the page being left.
    pub fn click_to_load(&self, css: &str) {
        self.js("document.documentElement.dataset.leaving = '1'", json!([]));
        self.click(css);
        let script = "return document.readyState === 'complete' && !document.documentElement.dataset.leaving";
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            // While the page changes a script may find no document to run in: try again.
            let url = format!("{}/execute/sync", self.base);
            let done = self
                .agent
                .post(&url)
                .send_json(json!({ "script": script, "args": [] }))
                .ok()
                .filter(|r| r.status().as_u16() < 400)
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"] == Value::Bool(true));
            if done {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for the page {css} loads");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn text(&self, css: &str) -> String {
        let el = self.find(css);
        self.call("GET", &format!("/element/{}/text", el.0), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Presses the pointer on `css` at `from` and drags it to `to` (fractions of its width).
    pub fn drag(&self, css: &str, from: f64, to: f64) {
        let el = self.find(css);
        let width = self
            .js("return arguments[0].getBoundingClientRect().width", json!([{ ELEMENT: el.0 }]))
            .as_f64()
            .unwrap();
        let x = |f: f64| ((f - 0.5) * (width - 16.0)).round() as i64;
        let origin = json!({ ELEMENT: el.0 });
        let actions = json!({ "actions": [{
            "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
            "actions": [
                { "type": "pointerMove", "origin": origin, "x": x(from), "y": 0, "duration": 0 },
                { "type": "pointerDown", "button": 0 },
                { "type": "pointerMove", "origin": origin, "x": x((from + to) / 2.0), "y": 0, "duration": 100 },
                { "type": "pointerMove", "origin": origin, "x": x(to), "y": 0, "duration": 100 },
                { "type": "pointerUp", "button": 0 }
            ]
        }]});
        self.call("POST", "/actions", Some(actions));
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }

    /// Waits until `script` returns true.
    pub fn wait_for(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.js(script, json!([])) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
