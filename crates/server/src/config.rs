//! Settings from flags and the environment. A bad setting stops the server at start
//! with one line that names it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The shortest metrics token accepted.
const MIN_METRICS_TOKEN: usize = 16;

/// Beian's backend: serves the server functions under /api and the built app.
#[derive(Debug, Clone, Parser)]
#[command(name = "beian-server", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BEIAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder for the database file and uploaded documents.
    #[arg(long, env = "BEIAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL; default: a SQLite file `beian.db` in the data folder.
    #[arg(long, env = "BEIAN_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Where uploaded documents are kept: `s3://bucket/prefix` (any S3-compatible store;
    /// credentials, region and endpoint from the `AWS_*` environment variables) or
    /// `file:///path`; default: the folder `documents` in the data folder.
    #[arg(long, env = "BEIAN_DOCUMENTS_URL")]
    pub documents_url: Option<String>,

    /// Folder of the built app (`dist/`, written by `cargo xtask build`). Without it only the
    /// API is served.
    #[arg(long, env = "BEIAN_DIST_DIR")]
    pub dist_dir: Option<PathBuf>,

    /// Load the demo instances and accounts into an empty database.
    #[arg(long, env = "BEIAN_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Largest document upload, in bytes.
    #[arg(long, env = "BEIAN_UPLOAD_LIMIT", default_value_t = 4 * 1024 * 1024)]
    pub upload_limit: usize,

    /// The provider's policy (products, terms, regions over time) as a TOML file in the format
    /// of `crates/rules/data/provider-policy.toml`, which is the built-in default.
    #[arg(long, env = "BEIAN_POLICY")]
    pub policy: Option<PathBuf>,

    /// Served over HTTPS (behind TLS): the session cookie is `Secure` and `__Host-`, and
    /// answers carry HSTS.
    #[arg(long, env = "BEIAN_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Behind one reverse proxy that appends the client's address to `X-Forwarded-For`: the
    /// login throttle counts that address, not the proxy's.
    #[arg(long, env = "BEIAN_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// The administration: `simulator` (demos and tests: it sends the SMS, decides and issues
    /// numbers by itself) or `manual` (a provider that deals with the real MIIT system
    /// outside Beian: its reviewers record the SMS verification and the decision).
    #[arg(long, env = "BEIAN_AUTHORITY", default_value = "simulator", value_parser = ["simulator", "manual"])]
    pub authority: String,

    /// Seconds the simulated administration takes to decide after the SMS is verified
    /// (default: 0 with --demo, else 60).
    #[arg(long, env = "BEIAN_AUTHORITY_DELAY")]
    pub authority_delay: Option<u64>,

    /// Seconds between the clock's rounds (SMS deadlines, order timeouts, the simulated
    /// administration's decisions).
    #[arg(long, env = "BEIAN_CLOCK_INTERVAL", default_value_t = 30)]
    pub clock_interval: u64,

    /// An SMTP server for the notices' e-mail (`smtp://user:password@host:587`,
    /// `smtps://…`); without it, notices stay in the app.
    #[arg(long, env = "BEIAN_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of the notices' e-mail.
    #[arg(long, env = "BEIAN_MAIL_FROM", default_value = "Beian <beian@localhost>")]
    pub mail_from: String,

    /// The app's address, for the links in e-mail.
    #[arg(long, env = "BEIAN_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,

    /// The bearer token a Prometheus scraper sends for `GET /metrics` (16 characters or more);
    /// without it, `/metrics` is not served.
    #[arg(long, env = "BEIAN_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// How the log is written to stderr: `text` (for people) or `json` (one JSON object a
    /// line, for a log collector).
    #[arg(long, env = "BEIAN_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Operator commands; without one, the server runs.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Import the provider's instances from a JSON file (an array of
    /// `{id, account, product, region, billing, subscription_start, subscription_end,
    /// public_bandwidth_mbps}`; `account` is the owner's username). Existing ids are updated.
    ImportInstances {
        /// The JSON file.
        file: PathBuf,
    },
    /// Write a consistent copy of the SQLite database to FILE while the server keeps running
    /// (`VACUUM INTO`); restore by stopping the server and putting the copy in place of the
    /// database file. On PostgreSQL, use `pg_dump` (docs/deploy.md).
    Backup {
        /// The copy to write (must not exist).
        file: PathBuf,
    },
}

impl Config {
    /// Parses flags and environment; on a bad value, returns the one-line message.
    pub fn load() -> Result<Self, String> {
        match Config::try_parse() {
            Ok(config) => config.check(),
            Err(e) => match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    e.exit()
                }
                _ => {
                    let rendered = e.to_string();
                    let first = rendered.lines().next().unwrap_or("error: bad setting");
                    Err(first.trim().to_owned())
                }
            },
        }
    }

    fn check(self) -> Result<Self, String> {
        if let Some(dist) = &self.dist_dir
            && !dist.join("index.html").is_file()
        {
            return Err(format!(
                "error: BEIAN_DIST_DIR / --dist-dir {}: no index.html there (build the app with `cargo xtask build`)",
                dist.display()
            ));
        }
        if let Some(token) = &self.metrics_token
            && token.trim().chars().count() < MIN_METRICS_TOKEN
        {
            return Err(format!("error: BEIAN_METRICS_TOKEN / --metrics-token: use {MIN_METRICS_TOKEN} characters or more"));
        }
        if let Some(url) = &self.database_url
            && beian_store::Dialect::of(url).is_none()
        {
            return Err(format!(
                "error: BEIAN_DATABASE_URL / --database-url: use a sqlite:// or postgres:// URL, got {:?}",
                url.split(':').next().unwrap_or_default()
            ));
        }
        Ok(self)
    }

    /// The provider's policy: the operator's file, or the built-in one.
    pub fn provider_policy(&self) -> Result<beian_rules::ProviderPolicy, String> {
        let Some(file) = &self.policy else { return Ok(beian_rules::ProviderPolicy::default()) };
        let text = std::fs::read_to_string(file).map_err(|e| format!("error: BEIAN_POLICY / --policy {}: {e}", file.display()))?;
        beian_rules::ProviderPolicy::from_toml(&text).map_err(|e| format!("error: BEIAN_POLICY / --policy {}: {e}", file.display()))
    }

    /// The administration the server works with.
    pub fn gateway(&self) -> std::sync::Arc<dyn beian_api::authority::AuthorityGateway> {
        if self.authority == "manual" {
            return std::sync::Arc::new(beian_api::authority::Manual);
        }
        let delay = self.authority_delay.unwrap_or(if self.demo { 0 } else { 60 });
        std::sync::Arc::new(beian_api::authority::Simulator { delay: chrono::Duration::seconds(i64::try_from(delay).unwrap_or(i64::MAX / 1000)) })
    }

    /// The database URL, defaulting to a file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("beian.db").display()),
        }
    }
}
