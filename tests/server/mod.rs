//! Shared helpers of the API tests: a real `vivier serve` process on a free loopback port over a
//! real SQLite file, and a small HTTP client.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vivier")
}

pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub data: PathBuf,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        Self::start_with(data, &[])
    }

    pub fn start_with(data: &Path, env: &[(&str, &str)]) -> Server {
        Self::start_on(data, None, env)
    }

    /// A server over `database` (`--database postgres://...`), else the data directory's SQLite.
    pub fn start_on(data: &Path, database: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(bin());
        cmd.arg("serve").arg("--data-dir").arg(data).env_remove("VIVIER_DATABASE");
        if let Some(db) = database {
            cmd.arg("--database").arg(db);
        }
        cmd.env("VIVIER_BIND", "127.0.0.1:0")
            .env_remove("VIVIER_TRUSTED_KEYS")
            // Servers here are killed at will; the model store is the inference tests' business.
            .env("VIVIER_MODEL_INSTALL", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("vivier serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(url) = line.strip_prefix("vivier listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(180)).expect("the server prints its address");
        Server { child: Some(child), base, data: data.to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGTERM, then waits for a graceful exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        child.wait().unwrap()
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill9(mut self) {
        let mut child = self.child.take().unwrap();
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `vivier keys create`: the key is alone on the last line.
pub fn create_key(data: &Path, role: &str) -> String {
    create_key_on(data, None, role)
}

/// `vivier keys create`, in `database` when given.
pub fn create_key_on(data: &Path, database: Option<&str>, role: &str) -> String {
    let mut cmd = Command::new(bin());
    cmd.args(["keys", "create", "--role", role, "--data-dir"]).arg(data).env_remove("VIVIER_DATABASE");
    if let Some(db) = database {
        cmd.arg("--database").arg(db);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().last().unwrap().trim().to_owned()
}

pub fn audit_verify(data: &Path) -> (bool, Value) {
    audit_verify_on(data, None)
}

/// `vivier audit verify`, on `database` when given.
pub fn audit_verify_on(data: &Path, database: Option<&str>) -> (bool, Value) {
    let mut cmd = Command::new(bin());
    cmd.args(["audit", "verify", "--data-dir"]).arg(data).env_remove("VIVIER_DATABASE");
    if let Some(db) = database {
        cmd.arg("--database").arg(db);
    }
    let out = cmd.output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.success(), v)
}

pub struct Resp {
    pub status: u16,
    pub text: String,
    pub content_type: String,
    pub retry_after: Option<String>,
    /// Every header, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build()
}

fn finish(r: Result<ureq::Response, ureq::Error>) -> Resp {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = resp.status();
    let content_type = resp.header("content-type").unwrap_or("").to_owned();
    let retry_after = resp.header("retry-after").map(str::to_owned);
    let headers = resp
        .headers_names()
        .into_iter()
        .map(|n| (n.to_ascii_lowercase(), resp.header(&n).unwrap_or("").to_owned()))
        .collect();
    // Not `into_string`: it stops at 10 MB, and a candidate's full history under load is larger.
    let mut text = String::new();
    let _ = std::io::Read::read_to_string(&mut resp.into_reader(), &mut text);
    Resp { status, text, content_type, retry_after, headers }
}

/// Any request, with extra headers, and a body with its content type.
pub fn send(method: &str, url: &str, key: Option<&str>, headers: &[(&str, &str)], body: Option<(&str, &[u8])>) -> Resp {
    let mut req = with_key(agent().request(method, url), key);
    for (name, value) in headers {
        req = req.set(name, value);
    }
    finish(match body {
        Some((content_type, bytes)) => req.set("Content-Type", content_type).send_bytes(bytes),
        None => req.call(),
    })
}

/// A multipart/form-data body of `(name, filename, content)` parts, with its content type.
pub fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, filename, content) in parts {
        let disposition = match filename {
            Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/plain"),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn with_key(req: ureq::Request, key: Option<&str>) -> ureq::Request {
    match key {
        Some(k) => req.set("Authorization", &format!("Bearer {k}")),
        None => req,
    }
}

pub fn get(url: &str, key: Option<&str>) -> Resp {
    finish(with_key(agent().get(url), key).call())
}

pub fn get_accept(url: &str, key: Option<&str>, accept: &str) -> Resp {
    finish(with_key(agent().get(url), key).set("Accept", accept).call())
}

pub fn delete(url: &str, key: Option<&str>) -> Resp {
    finish(with_key(agent().delete(url), key).call())
}

pub fn post_json(url: &str, key: Option<&str>, body: &Value) -> Resp {
    finish(with_key(agent().post(url), key).set("Content-Type", "application/json").send_string(&body.to_string()))
}

pub fn put_json(url: &str, key: Option<&str>, body: &Value) -> Resp {
    finish(with_key(agent().put(url), key).set("Content-Type", "application/json").send_string(&body.to_string()))
}

pub fn post_raw(url: &str, key: Option<&str>, content_type: &str, body: &[u8]) -> Resp {
    finish(with_key(agent().post(url), key).set("Content-Type", content_type).send_bytes(body))
}

pub fn post_empty(url: &str, key: Option<&str>) -> Resp {
    finish(with_key(agent().post(url), key).call())
}

/// A multipart/form-data upload of one `file` part.
pub fn post_file(url: &str, key: Option<&str>, filename: &str, media_type: &str, bytes: &[u8]) -> Resp {
    let boundary = "vivier-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {media_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    post_raw(url, key, &format!("multipart/form-data; boundary={boundary}"), &body)
}

pub fn cv(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../tests/data/cv/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn fixture_json(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/../tests/fixtures/conformance/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Parses a CV through the API and returns its candidate id.
pub fn parse(s: &Server, key: &str, name: &str) -> Value {
    let r = post_file(&s.url("/v1/cv/parse"), Some(key), name, "text/plain", &cv(name));
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

/// Asserts a JSON error with this status (and field, when given).
pub fn assert_error(r: &Resp, status: u16, field: Option<&str>) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    let v = r.json();
    assert_eq!(v["error"]["status"], status, "{}", r.text);
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", r.text);
    if let Some(f) = field {
        assert_eq!(v["error"]["field"], f, "{}", r.text);
    }
    v
}

/// One key of each role on a data directory, for the tests that start one server.
pub struct Keys {
    pub sirh: String,
    pub admin: String,
    pub auditor: String,
}

/// A data directory with a key of each role, and a server on it.
pub fn setup() -> (tempfile::TempDir, Server, Keys) {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys {
        sirh: create_key(dir.path(), "sirh"),
        admin: create_key(dir.path(), "admin"),
        auditor: create_key(dir.path(), "auditor"),
    };
    let s = Server::start(dir.path());
    (dir, s, keys)
}

/// The bundled lexical matcher republished under another version, as a vendor's bundle: the
/// zip written under `dir`, and its digest.
pub fn republished_matcher(dir: &Path, version: &str) -> (PathBuf, String) {
    let builtin = vivier::builtin::bundles()
        .unwrap()
        .into_iter()
        .find(|b| b.manifest.plugin.id == "vivier-matcher-lexical")
        .unwrap();
    let mut manifest = builtin.manifest.clone();
    manifest.plugin.version = version.into();
    let bundle = vivier::bundle::Bundle::pack(manifest, builtin.component.clone(), None).unwrap();
    let path = dir.join(format!("matcher-{version}.zip"));
    bundle.write_zip(&path).unwrap();
    (path, bundle.digest)
}
