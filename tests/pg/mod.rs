//! A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` package (installed with
//! apt-get when missing), `initdb` in a temporary directory, the server on loopback on a free
//! port, one fresh database per test. A watchdog stops the cluster and removes its directory
//! when the test process exits, however it exits.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The newest installed PostgreSQL's bin directory.
fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn install() -> PathBuf {
    if let Some(bin) = find_bin() {
        return bin;
    }
    eprintln!("PostgreSQL is not installed: installing Debian's `postgresql` package");
    let apt = |args: &[&str]| {
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive").stdin(Stdio::null());
        cmd
    };
    run(&mut apt(&["update", "-qq"]), "apt-get update");
    run(&mut apt(&["install", "-y", "-qq", "--no-install-recommends", "postgresql"]), "apt-get install postgresql");
    find_bin().expect("postgresql installed an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// A command of the cluster's bin directory, as the `postgres` user when we are root (initdb
/// and postgres refuse to run as root).
fn pg_command(bin: &Path, tool: &str) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        cmd
    } else {
        Command::new(bin.join(tool))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start() -> Cluster {
    let bin = install();
    let root = tempfile::Builder::new().prefix("vivier-pg-").tempdir().unwrap().keep();
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    if is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&root), "chown");
    }
    run(
        pg_command(&bin, "initdb").args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"]).arg(&data),
        "initdb",
    );
    let port = free_port();
    let opts = format!("-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=200", root.display());
    run(
        pg_command(&bin, "pg_ctl")
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(root.join("server.log"))
            .args(["-o", &opts]),
        "pg_ctl start",
    );
    // The watchdog: when this test process is gone, stop the cluster and remove its files.
    let stop = pg_command(&bin, "pg_ctl");
    let stop_line = format!(
        "{} {} stop -m fast -D {}",
        stop.get_program().to_string_lossy(),
        stop.get_args().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" "),
        data.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop_line} >/dev/null 2>&1; rm -rf {root}",
        pid = std::process::id(),
        root = root.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the cluster watchdog starts");
    Cluster { port, bin }
}

pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start)
}

/// A new, empty database on the shared cluster; its URL.
pub fn fresh_database() -> String {
    let c = cluster();
    let name = format!("vivier_t{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::SeqCst));
    run(
        Command::new(c.bin.join("createdb")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &c.port.to_string(),
            "-U",
            "postgres",
            &name,
        ]),
        "createdb",
    );
    format!("postgres://postgres@127.0.0.1:{}/{name}", c.port)
}

/// The two storage backends a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// The `--database` URL of a fresh database, or None for the data directory's SQLite file.
    pub fn url(self) -> Option<String> {
        match self {
            Db::Sqlite => None,
            Db::Postgres => Some(fresh_database()),
        }
    }
}

/// One test per backend for each `async fn name(db: Db)` named (in modules `sqlite` and `postgres`).
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread")] async fn $name() { super::$name(crate::pg::Db::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread")] async fn $name() { super::$name(crate::pg::Db::Postgres).await } )*
        }
    };
}
