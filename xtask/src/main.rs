//! `cargo xtask`: Beian's developer commands.
//!
//! - `cargo xtask run`   install what is missing, build the app (release) and the backend, serve
//!   on http://127.0.0.1:8080 with demo data.
//! - `cargo xtask test`  install what is missing, run every test suite, print one summary line.
//! - `cargo xtask build` the release build and its size report: every file of `dist/`, raw and
//!   brotli, the first load (what `index.html` loads before the start page works) against its
//!   150 KB budget and the whole app against its 250 KB budget.
//! - `cargo xtask backend` the backend alone (for `trunk serve`).
//! - `cargo xtask setup` only install.
//! - `cargo xtask size`  the size report of the last build (as after `build`), then
//!   where the wasm's bytes go (twiggy: by crate, the largest items, the dominator tree).
//!
//! The wasm app's release build is `release.rs` (cargo, the split, wasm-bindgen, wasm-opt;
//! `trunk serve` is the dev server), never in the same cargo invocation as the backend, and in a
//! target folder of its own, outside the clone (`$BEIAN_CACHE_DIR`, default
//! `$HOME/.cache/beian`), so that a fresh clone reuses earlier builds.

mod bloat;
mod release;
mod sizes;
mod toolchain;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use toolchain::WasmToolchain;

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <run|test|build|backend|setup|size>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => toolchain::setup(true).map(|_| ()),
        Some("build") => build().map(|_| ()),
        Some("run") => run(),
        Some("backend") => backend(),
        Some("test") => test(),
        Some("size") => size(),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Where builds are cached, outside the clone.
pub(crate) fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BEIAN_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("beian");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache").join("beian"),
        None => root().join("target").join("cache"),
    }
}

fn native_target_dir() -> PathBuf {
    cache_dir().join("target")
}

fn wasm_target_dir() -> PathBuf {
    cache_dir().join("target-wasm")
}

/// A cargo command for native builds: the caller's cargo, the shared native target folder.
fn native_cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root()).env("CARGO_TARGET_DIR", native_target_dir());
    cmd
}

fn status(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("failed ({status}): {shown}")) }
}

/// Builds the app (release, split: `release.rs`) and the backend (release), then prints the
/// size report.
fn build() -> Result<WasmToolchain> {
    let wasm = toolchain::setup(false)?;
    release::build(wasm)?;
    println!("xtask: building the backend (release)");
    status(native_cargo().args(["build", "--release", "--locked", "-p", "beian-server"]))?;
    let dist = root().join("dist");
    sizes::report(&dist)?;
    // Where the bytes go, briefly; `cargo xtask size` has the whole report.
    if let Err(e) = bloat::report(&bloat::app_wasm(), &dist, false) {
        println!("where the bytes go: {e}");
    }
    Ok(wasm)
}

/// The size report of the last build, with where the wasm's bytes go.
fn size() -> Result {
    toolchain::install_twiggy();
    let dist = root().join("dist");
    sizes::report(&dist)?;
    bloat::report(&bloat::app_wasm(), &dist, true)
}

fn run() -> Result {
    build()?;
    let server = native_target_dir().join("release").join("beian-server");
    // The server reads BEIAN_ADDR itself; say the address it will serve.
    let addr = std::env::var("BEIAN_ADDR").ok().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| "127.0.0.1:8080".into());
    println!("xtask: serving Beian at http://{addr} (demo logins in README.md); Ctrl-C stops it");
    let mut cmd = Command::new(server);
    cmd.current_dir(root()).args(["--demo", "--dist-dir", "dist"]);
    status(&mut cmd)
}

fn backend() -> Result {
    let mut cmd = native_cargo();
    cmd.args(["run", "--locked", "-p", "beian-server", "--", "--demo"]);
    status(&mut cmd)
}

/// Sums the `test result:` lines of cargo's output while passing it through.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    suites: Vec<String>,
}

impl Tally {
    /// Reads libtest's `test result:` lines and node's TAP `# pass N` / `# fail N`.
    fn read_line(&mut self, line: &str) {
        let t = line.trim();
        if let Some(n) = t.strip_prefix("# pass ").and_then(|n| n.trim().parse::<u64>().ok()) {
            self.passed += n;
            return;
        }
        if let Some(n) = t.strip_prefix("# fail ").and_then(|n| n.trim().parse::<u64>().ok()) {
            self.failed += n;
            return;
        }
        self.read_cargo_line(t);
    }

    fn read_cargo_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { return };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(n)) = (words.next(), words.next()) else { continue };
            let n: u64 = n.trim_start_matches("ok.").trim_start_matches("FAILED.").trim().parse().unwrap_or(0);
            match kind {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                _ => {}
            }
        }
    }
}

/// Runs a command, echoing its output, and feeds each line to `tally`.
fn run_counted(suite: &str, cmd: &mut Command, tally: &mut Tally) -> Result {
    let before = (tally.passed, tally.failed);
    cmd.stdout(Stdio::piped());
    let shown = format!("{cmd:?}");
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            tally.read_line(&line);
        }
    }
    let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
    let (p, f) = (tally.passed - before.0, tally.failed - before.1);
    println!("{suite}: {p} passed, {f} failed");
    tally.suites.push(format!("{suite}: {p} passed, {f} failed"));
    if status.success() { Ok(()) } else { Err(format!("suite {suite} failed ({status})")) }
}

fn test() -> Result {
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    let wasm = toolchain::setup(true)?;

    // Native: the rules crate, the store and the backend (with its HTTP integration tests),
    // on SQLite.
    let moto = toolchain::install_moto()?;
    let mut native = native_cargo();
    native.args(["test", "--release", "--locked"]).env_remove("BEIAN_TEST_DATABASE").env("BEIAN_MOTO_SERVER", &moto);
    if let Err(e) = run_counted("native", &mut native, &mut tally) {
        failures.push(e);
    }

    // The backend's integration suites again (and through them the store), on PostgreSQL:
    // each test in a database of its own, dropped afterwards. Required: without a server
    // this fails, with one line saying so.
    match postgres_reachable() {
        Ok(()) => {
            let mut on_postgres = native_cargo();
            on_postgres
                .args(["test", "--release", "--locked", "-p", "beian-server", "--tests"])
                .env("BEIAN_TEST_DATABASE", "postgres")
                .env("BEIAN_MOTO_SERVER", &moto);
            if let Err(e) = run_counted("native-postgres", &mut on_postgres, &mut tally) {
                failures.push(e);
            }
        }
        Err(e) => {
            println!("{e}");
            tally.failed += 1;
            failures.push(e);
        }
    }

    // What the lock file may hold: licences, banned crates, sources (offline); advisories
    // where the advisory database can be fetched.
    if let Err(e) = supply_chain(&mut tally) {
        failures.push(e);
    }

    // The rules crate's corpus again, in wasm inside headless Chromium.
    let mut parity = Command::new(wasm.cargo());
    parity
        .current_dir(root())
        .args(["test", "--release", "--locked", "--target", "wasm32-unknown-unknown", "-p", "beian-wasm-parity"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    wasm.apply(&mut parity, &wasm_target_dir());
    if let Err(e) = run_counted("wasm-parity", &mut parity, &mut tally) {
        failures.push(e);
    }

    // The release build, then the journeys through it in headless Chromium.
    match build() {
        Ok(_) => {
            if let Err(e) = end_to_end(&mut tally) {
                failures.push(e);
            }
        }
        Err(e) => failures.push(e),
    }

    println!();
    for line in &tally.suites {
        println!("{line}");
    }
    println!("summary: {} passed, {} failed", tally.passed, tally.failed);
    if failures.is_empty() && tally.failed == 0 && tally.passed > 0 {
        Ok(())
    } else if tally.passed == 0 && failures.is_empty() {
        Err("no test ran".into())
    } else {
        Err(failures.join("; "))
    }
}

/// The PostgreSQL server of `BEIAN_TEST_POSTGRES_URL` (default
/// `postgres://postgres@127.0.0.1:5432/test`) accepts connections.
fn postgres_reachable() -> Result {
    let url = std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    let failed = |why: String| {
        format!("native-postgres: cannot connect to PostgreSQL at {host_port} ({why}); the suites run on PostgreSQL too — start it or set BEIAN_TEST_POSTGRES_URL")
    };
    let addrs = std::net::ToSocketAddrs::to_socket_addrs(&host_port).map_err(|e| failed(e.to_string()))?;
    let mut last = String::from("no address");
    for addr in addrs {
        match std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(3)) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(failed(last))
}

/// `cargo deny` on the lock file: licences, bans and sources always (they need no network);
/// advisories only where the RustSec database can be fetched, and a line that says so where
/// it cannot, never a failure.
fn supply_chain(tally: &mut Tally) -> Result {
    toolchain::cargo_install("cargo-deny", "cargo-deny", toolchain::CARGO_DENY_VERSION, true)?;
    let before = (tally.passed, tally.failed);
    let mut offline = native_cargo();
    offline.args(["deny", "--locked", "check", "licenses", "bans", "sources"]);
    let checked = offline.status().map_err(|e| format!("cannot start cargo deny: {e}"))?;
    if checked.success() {
        tally.passed += 3;
    } else {
        tally.failed += 1;
    }
    let mut fetch = native_cargo();
    fetch.args(["deny", "fetch", "db"]);
    if toolchain::run_with_timeout(&mut fetch, std::time::Duration::from_secs(60)) {
        let advisories = native_cargo().args(["deny", "--locked", "check", "--disable-fetch", "advisories"]).status();
        match advisories {
            Ok(s) if s.success() => tally.passed += 1,
            _ => tally.failed += 1,
        }
    } else {
        println!("supply-chain: advisories skipped: the RustSec advisory database cannot be fetched from here");
    }
    let (p, f) = (tally.passed - before.0, tally.failed - before.1);
    println!("supply-chain: {p} passed, {f} failed");
    tally.suites.push(format!("supply-chain: {p} passed, {f} failed"));
    if f == 0 { Ok(()) } else { Err("suite supply-chain failed (cargo deny)".into()) }
}

/// Installs the end-to-end suite's npm packages (from its lock file) and runs it against the
/// release build.
fn end_to_end(tally: &mut Tally) -> Result {
    let dir = root().join("tests").join("e2e");
    if !dir.join("node_modules").join("playwright-core").is_dir() {
        status(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    }
    let server = native_target_dir().join("release").join("beian-server");
    let mut node = Command::new("node");
    node.current_dir(&dir)
        .args(["--test", "--test-concurrency=1", "--test-reporter=tap", "journeys.test.mjs", "feel.test.mjs"])
        .env("BEIAN_SERVER_BIN", server);
    run_counted("e2e", &mut node, tally)
}
