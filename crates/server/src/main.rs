use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let result = match beian_server::Config::load() {
        Ok(config) => {
            start_log(&config.log_format);
            beian_server::run(config).await
        }
        Err(message) => Err(message),
    };
    if let Err(message) = result {
        eprintln!("{message}");
        std::process::exit(2);
    }
}

/// Logs go to stderr (stdout is for what a command answers, `import-instances`): as text, or
/// with `json` one JSON object a line (`timestamp`, `level`, `target`, `message` and the
/// event's fields).
fn start_log(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or journald gets plain text.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let log = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colours);
    if format == "json" {
        log.json().flatten_event(true).init();
    } else {
        log.init();
    }
}
