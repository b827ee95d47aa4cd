use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        // Logs go to stderr; stdout is for what a command answers (`import-instances`).
        .with_writer(std::io::stderr)
        .init();
    let result = match beian_server::Config::load() {
        Ok(config) => beian_server::run(config).await,
        Err(message) => Err(message),
    };
    if let Err(message) = result {
        eprintln!("{message}");
        std::process::exit(2);
    }
}
