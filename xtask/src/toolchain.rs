//! Installs what the build and the tests need, skipping what is already there.
//!
//! Two ways to build for wasm:
//! - **rustup**: `rustup target add wasm32-unknown-unknown` (an ordinary laptop), with
//!   binaryen's `wasm-opt` 123 (the version trunk 0.21 expects) from the npm registry
//!   (`tools/package.json`), so that trunk never downloads it from GitHub;
//! - **debian**: where rustup cannot download the target, Debian's `rustc-web` (which ships
//!   the standard library's sources) with `-Zbuild-std`, `rust-lld` from `lld`, and Debian's
//!   `wasm-opt` (binaryen). Reference types are switched off because that `wasm-opt` cannot
//!   handle them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// Must equal the `wasm-bindgen` version pinned in the workspace's Cargo.toml.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const TRUNK_VERSION: &str = "0.21.14";
/// The supply-chain check (`deny.toml`).
pub const CARGO_DENY_VERSION: &str = "0.20.2";
/// Reads the wasm for the size report (`cargo xtask size`).
const TWIGGY_VERSION: &str = "0.8.0";

const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-22", "binaryen"];
/// What the test suites run beside the project: the browser for the journeys, nginx (the
/// example load-balancer config in front of two replicas), PostgreSQL's client (the write
/// load script).
const DEBIAN_BROWSER_PACKAGES: &[&str] = &["chromium", "chromium-driver", "fonts-noto-cjk", "nginx-light", "postgresql-client"];
const DEBIAN_STD_SOURCES: &str = "/usr/lib/rustlib/src/rust/library";

/// How this machine builds wasm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WasmToolchain {
    Rustup,
    Debian,
}

impl WasmToolchain {
    /// The cargo that builds wasm.
    pub fn cargo(self) -> &'static str {
        match self {
            WasmToolchain::Rustup => "cargo",
            WasmToolchain::Debian => "/usr/bin/cargo",
        }
    }

    /// binaryen's `wasm-opt` (see the module's doc).
    pub fn wasm_opt(self) -> std::path::PathBuf {
        match self {
            WasmToolchain::Rustup => npm_tools_bin().join("wasm-opt"),
            WasmToolchain::Debian => "/usr/bin/wasm-opt".into(),
        }
    }

    /// Sets up `cmd` (trunk, or cargo for wasm tests) to build wasm with this toolchain into
    /// `target_dir`.
    pub fn apply(self, cmd: &mut Command, target_dir: &Path) {
        cmd.env("CARGO_TARGET_DIR", target_dir);
        // Leptos's `erase_components` type-erases views: a much smaller wasm.
        cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "--cfg=erase_components");
        if self == WasmToolchain::Rustup {
            // The npm registry's wasm-opt comes first, so trunk finds it and downloads nothing.
            let path = std::env::var("PATH").unwrap_or_default();
            cmd.env("PATH", format!("{}:{path}", npm_tools_bin().display()));
        }
        if self == WasmToolchain::Debian {
            // Debian's cargo and rustc come first; trunk and wasm-bindgen stay reachable.
            let path = std::env::var("PATH").unwrap_or_default();
            cmd.env("PATH", format!("/usr/bin:{path}"))
                .env_remove("CARGO")
                .env_remove("RUSTC")
                .env_remove("RUSTDOC")
                .env_remove("RUSTUP_TOOLCHAIN")
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", self.rustflags());
            build_std(cmd);
        }
    }

    /// The wasm build's own flags.
    fn rustflags(self) -> &'static str {
        match self {
            WasmToolchain::Rustup => "--cfg=erase_components",
            WasmToolchain::Debian => "-Ctarget-feature=-reference-types,-multivalue --cfg=erase_components",
        }
    }

    /// Sets up the release build of the app as `apply` does and, where the standard library's
    /// sources are at hand (Debian's always; rustup's `rust-src` component, added when
    /// missing), rebuilds the standard library with panics that abort at once: no panic
    /// message, location or formatting is compiled in (about 8 % of the main wasm; the README's
    /// Size section has the figures). A panic then stops the app with a bare `unreachable` in
    /// the console instead of its message (`BEIAN_PANIC_MESSAGES=1` keeps the messages; the
    /// browser journeys run this build, `trunk serve` and wasm-parity keep them). True when
    /// the panics abort at once.
    pub fn apply_release(self, cmd: &mut Command, target_dir: &Path) -> bool {
        self.apply(cmd, target_dir);
        if std::env::var("BEIAN_PANIC_MESSAGES").as_deref() == Ok("1") {
            println!("xtask: BEIAN_PANIC_MESSAGES is set: the app keeps its panic messages and is larger");
            return false;
        }
        if !self.has_std_sources() {
            println!("xtask: the standard library's sources are missing (rustup's rust-src); the app keeps its panic messages and is larger");
            return false;
        }
        // The panic strategy is unstable too, allowed by build_std's RUSTC_BOOTSTRAP, which
        // also makes rustc mangle names as a nightly would (v0); the size report's twiggy
        // cannot read those, so the usual mangling is kept.
        build_std(cmd);
        cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", format!("{} -Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy", self.rustflags()));
        true
    }

    /// Whether the standard library's sources are here, for `-Zbuild-std`.
    fn has_std_sources(self) -> bool {
        match self {
            WasmToolchain::Debian => Path::new(DEBIAN_STD_SOURCES).is_dir(),
            WasmToolchain::Rustup => {
                let sources = || {
                    Command::new("rustc")
                        .args(["--print", "sysroot"])
                        .output()
                        .ok()
                        .map(|o| Path::new(String::from_utf8_lossy(&o.stdout).trim()).join("lib/rustlib/src/rust/library/std").is_dir())
                        .unwrap_or(false)
                };
                if sources() {
                    return true;
                }
                println!("xtask: trying `rustup component add rust-src` (up to 90 s)");
                run_with_timeout(Command::new("rustup").args(["component", "add", "rust-src"]), Duration::from_secs(90)) && sources()
            }
        }
    }
}

/// Builds the standard library for wasm from its sources (`-Zbuild-std`): unstable, so
/// RUSTC_BOOTSTRAP lets this one wasm build use it on a stable toolchain, never the native
/// builds (the README's "What the commands install").
fn build_std(cmd: &mut Command) {
    cmd.env("RUSTC_BOOTSTRAP", "1").env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
}

/// Installs whatever is missing; `browser` adds Chromium, its driver and nginx for the tests.
pub fn setup(browser: bool) -> Result<WasmToolchain> {
    let wasm = wasm_toolchain()?;
    if browser {
        apt_install(DEBIAN_BROWSER_PACKAGES)?;
    }
    cargo_install("wasm-bindgen", "wasm-bindgen-cli", WASM_BINDGEN_VERSION, false)?;
    cargo_install("trunk", "trunk", TRUNK_VERSION, true)?;
    install_twiggy();
    if wasm == WasmToolchain::Rustup && !npm_tools_bin().join("wasm-opt").exists() {
        println!("xtask: installing binaryen's wasm-opt from the npm registry (tools/package-lock.json)");
        crate::status(Command::new("npm").current_dir(crate::root().join("tools")).args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(wasm)
}

/// Installs twiggy when it is missing. The size report is the only thing that needs it, so a
/// failure is said, not fatal: the report then leaves out where the bytes go.
pub fn install_twiggy() {
    if let Err(e) = cargo_install("twiggy", "twiggy", TWIGGY_VERSION, true) {
        println!("xtask: twiggy is not installed ({e}); the size report leaves out where the bytes go");
    }
}

/// The S3-compatible server the document-store tests run against (`moto`, from PyPI).
pub const MOTO_VERSION: &str = "5.2.5";

/// `moto_server` in a Python virtual environment of its own under the cache folder
/// (installed when missing, with the machine's `python3`); its path.
pub fn install_moto() -> Result<std::path::PathBuf> {
    let venv = crate::cache_dir().join(format!("moto-{MOTO_VERSION}"));
    let server = venv.join("bin").join("moto_server");
    if server.exists() {
        return Ok(server);
    }
    println!("xtask: installing moto {MOTO_VERSION} (an S3-compatible server for the tests) from PyPI");
    crate::status(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    crate::status(Command::new(venv.join("bin").join("pip")).args(["install", "-q", &format!("moto[server]=={MOTO_VERSION}")]))?;
    Ok(server)
}

/// Where `npm ci` in `tools/` puts the build tools' commands.
fn npm_tools_bin() -> std::path::PathBuf {
    crate::root().join("tools").join("node_modules").join(".bin")
}

fn wasm_toolchain() -> Result<WasmToolchain> {
    match std::env::var("BEIAN_WASM_TOOLCHAIN").as_deref() {
        Ok("rustup") => return Ok(WasmToolchain::Rustup),
        Ok("debian") => {
            apt_install(DEBIAN_WASM_PACKAGES)?;
            return Ok(WasmToolchain::Debian);
        }
        _ => {}
    }
    if rustup_has_wasm_target() {
        return Ok(WasmToolchain::Rustup);
    }
    if Path::new(DEBIAN_STD_SOURCES).is_dir() && Path::new("/usr/bin/rust-lld").exists() {
        apt_install(DEBIAN_WASM_PACKAGES)?;
        return Ok(WasmToolchain::Debian);
    }
    println!("xtask: trying `rustup target add wasm32-unknown-unknown` (up to 90 s)");
    let mut add = Command::new("rustup");
    add.args(["target", "add", "wasm32-unknown-unknown"]);
    if run_with_timeout(&mut add, Duration::from_secs(90)) && rustup_has_wasm_target() {
        return Ok(WasmToolchain::Rustup);
    }
    println!("xtask: rustup cannot add the wasm target here; using Debian's rustc-web and build-std");
    apt_install(DEBIAN_WASM_PACKAGES)?;
    Ok(WasmToolchain::Debian)
}

fn rustup_has_wasm_target() -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
        .unwrap_or(false)
}

/// Runs `cmd`, killing it after `limit`; true when it finished successfully in time.
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> bool {
    let Ok(mut child) = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn() else { return false };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(500)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// Installs the Debian packages that are missing (as root, or through sudo).
pub fn apt_install(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !dpkg_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if Command::new("apt-get").arg("--version").stdout(Stdio::null()).status().is_err() {
        return Err(format!("missing system packages {missing:?} and no apt-get to install them"));
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| -> Result {
        let mut cmd = if is_root { Command::new("apt-get") } else { let mut c = Command::new("sudo"); c.arg("apt-get"); c };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        crate::status(&mut cmd)
    };
    println!("xtask: installing Debian packages {missing:?}");
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend(&missing);
    apt(&args)
}

/// `cargo install`s `krate` at `version` unless `binary --version` already reports it.
pub fn cargo_install(binary: &str, krate: &str, version: &str, locked: bool) -> Result {
    let current = Command::new(binary)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if current.split_whitespace().any(|w| w.trim_start_matches('v') == version) {
        return Ok(());
    }
    println!("xtask: installing {krate} {version} (several minutes, once)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["install", krate, "--version", version]);
    // wasm-bindgen-cli's lock file names a dependency the registry no longer serves.
    if locked {
        cmd.arg("--locked");
    }
    crate::status(&mut cmd)
}
