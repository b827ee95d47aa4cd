//! Beian's backend: wires storage, sessions and HTTP around the server functions of
//! `beian-api`, and serves the built app.
//!
//! The binary (`main.rs`) only reads the settings and calls [`run`]; integration tests call
//! [`app`] to build the same router on a temporary data folder.

pub mod clock;
pub mod config;
pub mod errors;
pub mod mail;
pub mod metrics;
pub mod security;
pub mod uploads;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::handler::HandlerWithoutStateExt;
use axum::{Json, Router};
use beian_api::ErrorCode;
use beian_store::Store;
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos::server_fn::ServerFn;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_sessions::ExpiredDeletion;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::{Command, Config};

/// The largest JSON body the API accepts (uploads have their own limit).
pub const API_BODY_LIMIT: usize = 256 * 1024;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The provider's policy (products, terms, regions).
    pub policy: std::sync::Arc<beian_rules::ProviderPolicy>,
    /// Largest upload in bytes.
    pub upload_limit: usize,
}

/// How the router is built beyond its state.
#[derive(Clone, Default)]
pub struct Options {
    /// The administration (default: the simulator, deciding at once).
    pub authority: Option<Arc<dyn beian_api::authority::AuthorityGateway>>,
    /// The built app (`cargo xtask build`'s `dist/`, its start script outside `index.html`).
    pub dist_dir: Option<std::path::PathBuf>,
    /// Served over HTTPS: `Secure` `__Host-` session cookie, HSTS.
    pub secure_cookies: bool,
    /// Behind one reverse proxy that appends the client's address to `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    pub metrics_token: Option<String>,
}

/// The session cookie's name: with the `__Host-` prefix over HTTPS (the browser then holds it
/// to `Secure`, `Path=/` and this host alone).
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-beian_session" } else { "beian_session" }
}

/// How long a request may take (an upload of the largest document on a slow line included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// Requests handled at once; more wait their turn.
const CONCURRENT_REQUESTS: usize = 512;

/// Builds the router: `/healthz`, `/readyz`, `/metrics`, uploads, the server functions under
/// `/api`, and the built app (with `index.html` for every client route) when a dist folder is
/// given. Sessions live in the same database; expired ones are purged every hour.
pub async fn app(state: AppState, options: Options) -> Result<Router, String> {
    beian_api::register_server_functions();
    let sessions = state.store.sessions().await?;
    tokio::spawn(sessions.clone().continuously_delete_expired(Duration::from_secs(3600)));
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(session_cookie_name(options.secure_cookies))
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(options.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));
    let throttle = Arc::new(beian_api::throttle::Throttle::new(options.trust_forwarded_for));
    tokio::spawn({
        let throttle = throttle.clone();
        async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                throttle.forget_recovered();
            }
        }
    });
    let gateway = options.authority.clone().unwrap_or_else(|| Arc::new(beian_api::authority::Simulator { delay: chrono::Duration::zero() }));
    let context = Context { state: state.clone(), throttle, gateway };

    // Multipart framing adds a little to the file itself; the file's own limit is enforced
    // while it streams in.
    let uploads = Router::new()
        .route("/api/documents", post(uploads::upload))
        .route("/api/documents/{id}", get(uploads::download))
        .layer(DefaultBodyLimit::max(state.upload_limit + 64 * 1024))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(state.upload_limit + 64 * 1024))
        .layer(middleware::map_response(errors::upload_too_large))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, UPLOAD_TIMEOUT));
    let functions = Router::new()
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(API_BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .with_state(context);
    let api = uploads
        .with_state(state.clone())
        .merge(functions)
        .layer(middleware::map_response(errors::too_large_as_json::<Body>))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(session_layer);
    // The public check API changes nothing and knows no one: no session, no cross-site guard.
    // Its layers as one (outermost first): each `layer` call of its own would wrap every route
    // in one more boxed service, which every request clones (with all the boxes inside it).
    let public = public_functions()
        .layer((
            TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT),
            middleware::map_response(errors::too_large_as_json::<tower_http::limit::ResponseBody<Body>>),
            tower_http::limit::RequestBodyLimitLayer::new(API_BODY_LIMIT),
        ))
        .with_state(state.clone());
    let exporter = metrics::Exporter::new(state.store.clone(), options.metrics_token.clone());
    let enabled = exporter.enabled();
    let operator = Router::new().route("/metrics", get(metrics::scrape)).with_state(exporter);
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(operator)
        .merge(public)
        .merge(api);
    let router = match &options.dist_dir {
        Some(dist) => {
            security::check_app(dist)?;
            // A file's brotli copy (`<file>.br`, written by `cargo xtask build`) goes to a
            // browser that accepts brotli: the wasm is a third of its size so.
            // Any other path is one of the app's routes and gets its page, unless its last
            // segment names a file: a file that is not there (a split file of an earlier
            // build, asked for by a tab opened before a deploy) is a 404, which the app's
            // loader reports, not the page, which it cannot read as wasm.
            let index = dist.join("index.html");
            let page = move |request: Request| app_page(index.clone(), request);
            router.fallback_service(ServeDir::new(dist).precompressed_br().fallback(page.into_service()))
        }
        None => router.fallback(no_app),
    };
    let guard = Arc::new(Guard {
        secure: options.secure_cookies,
        turns: tokio::sync::Semaphore::new(CONCURRENT_REQUESTS),
        // Requests are counted only where `/metrics` is served: without a token nothing is read.
        counted: enabled.then(metrics::server_function_paths),
    });
    Ok(router.layer(middleware::from_fn(move |req, next| guard_request(guard.clone(), req, next))))
}

/// What every request passes through. One middleware, since each of its own costs every
/// request a boxed future and a boxed copy of the routes behind it.
struct Guard {
    /// Served over HTTPS (HSTS).
    secure: bool,
    /// [`CONCURRENT_REQUESTS`] turns: requests beyond them wait for one.
    turns: tokio::sync::Semaphore,
    /// The registered server functions' paths, when requests are counted.
    counted: Option<Arc<std::collections::HashSet<&'static str>>>,
}

/// Counts and times the request (when `/metrics` is served), lets it wait its turn among
/// [`CONCURRENT_REQUESTS`], and gives its answer the security headers.
async fn guard_request(guard: Arc<Guard>, req: Request, next: Next) -> Response {
    let tracked = guard.counted.as_deref().and_then(|functions| metrics::Tracked::start(&req, functions));
    let cache = security::cache_control(req.uri().path());
    let mut response = {
        // The semaphore is never closed: a turn is always given, in the order asked.
        let _turn = guard.turns.acquire().await;
        next.run(req).await
    };
    let cache = security::answer_cache(response.status(), cache);
    security::set_headers(response.headers_mut(), guard.secure, cache);
    if let Some(tracked) = tracked {
        tracked.finish(response.status());
    }
    response
}

/// What the server functions on session routes run with: the state, the login throttle and
/// the administration.
#[derive(Clone)]
struct Context {
    state: AppState,
    throttle: Arc<beian_api::throttle::Throttle>,
    gateway: Arc<dyn beian_api::authority::AuthorityGateway>,
}

/// Serves `router` on `listener` (with each connection's address, for the login throttle)
/// until `shutdown` completes.
pub async fn serve(listener: tokio::net::TcpListener, router: Router, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown).await
}

/// State-changing calls must come from this site: a browser's `Sec-Fetch-Site: cross-site`
/// or an `Origin` whose host is not ours is refused (with `SameSite=Strict` cookies as the
/// second line). The public check endpoints, which change nothing, have their own routes
/// without this guard.
async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|o| o.split("://").nth(1).unwrap_or(o).to_owned());
    let cross = fetch_site == "cross-site" || origin_host.is_some_and(|o| o != host);
    if cross {
        return errors::error(ErrorCode::RequestCrossSite);
    }
    next.run(req).await
}

/// What every server function may read from its context: the store and the provider's policy.
fn provide_state(state: &AppState) {
    provide_context(state.store.clone());
    provide_context(state.policy.clone());
}

async fn server_fn_handler(State(context): State<Context>, req: Request<Body>) -> Response {
    let response = leptos_axum::handle_server_fns_with_context(
        move || {
            provide_state(&context.state);
            provide_context(context.throttle.clone());
            provide_context(context.gateway.clone());
        },
        req,
    )
    .await
    .into_response();
    errors::server_fn_answer(response).await
}

/// The routes of the public check API, one per server function, each known by its type.
fn public_functions() -> Router<AppState> {
    use beian_api::*;
    Router::new()
        .route(Status::PATH, public::<Status>())
        .route(CheckInstance::PATH, public::<CheckInstance>())
        .route(NeedFiling::PATH, public::<NeedFiling>())
        .route(DeterminePath::PATH, public::<DeterminePath>())
        .route(ValidateField::PATH, public::<ValidateField>())
        .route(GetRequirements::PATH, public::<GetRequirements>())
        .route(ValidateApplication::PATH, public::<ValidateApplication>())
}

/// A public server function's route. The route names the function, so it runs without the
/// server-function layer's lookup by path and without the request's parts and response
/// options in its context, which no public function reads (the layer copies every request's
/// head for them): its owner holds only the store and the policy. Decoding the arguments,
/// the body and encoding the answer are the server function's own, as on every other route:
/// `run_on_server` is what the registry's entry for the function runs (`register_explicit`
/// wraps the same call). Any method but `POST` is a 405 with a JSON error.
fn public<F>() -> axum::routing::MethodRouter<AppState>
where
    F: ServerFn<
            Server: leptos::server_fn::server::Server<
                F::Error,
                F::InputStreamError,
                F::OutputStreamError,
                Request = Request<Body>,
                Response = Response<Body>,
            >,
        > + 'static,
{
    post(|State(state): State<AppState>, req: Request<Body>| async move {
        let owner = Owner::new();
        // Boxed where it is made: the function's future (the decoded arguments and the rules'
        // work) is large, and every move of it into the futures around it was a copy.
        let answer = owner.with(|| {
            provide_state(&state);
            ScopedFuture::new_untracked(Box::pin(F::run_on_server(req)))
        });
        errors::server_fn_answer(answer.await).await
    })
    .fallback(|| async {
        let mut response = errors::error(ErrorCode::RequestMethod);
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        response
    })
}

/// `GET /healthz`: the process is alive and answering. Touches nothing else (a load
/// balancer or orchestrator that restarts a server on a failed check must not restart every
/// replica when the database is away: that is what `/readyz` says).
async fn healthz() -> Response {
    (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))).into_response()
}

/// `GET /readyz`: 200 when the database answers, its migrations are all applied and the
/// document store takes a file; else 503 with the parts that failed:
/// `{"status": "unavailable", "failed": ["documents"], "checks": {"database": "ok", …}}`.
async fn readyz(State(state): State<AppState>) -> Response {
    let readiness = state.store.readiness().await;
    let parts = [("database", readiness.database), ("migrations", readiness.migrations), ("documents", readiness.documents)];
    let checks: serde_json::Map<String, serde_json::Value> =
        parts.iter().map(|(name, ok)| ((*name).to_owned(), serde_json::Value::from(if *ok { "ok" } else { "failed" }))).collect();
    if readiness.ready() {
        return (StatusCode::OK, Json(serde_json::json!({"status": "ready", "checks": checks}))).into_response();
    }
    let failed: Vec<&str> = parts.iter().filter(|(_, ok)| !ok).map(|(name, _)| *name).collect();
    tracing::warn!(failed = ?failed, "not ready");
    (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "unavailable", "failed": failed, "checks": checks}))).into_response()
}

/// The extensions of the files `dist/` holds (and a browser asks for by itself).
const FILE_EXTENSIONS: &[&str] = &["wasm", "js", "mjs", "css", "map", "br", "ico", "png", "svg", "json", "txt", "webmanifest"];

/// The app's page (`index.html`) for a route, a 404 for a file `dist/` does not hold.
async fn app_page(index: std::path::PathBuf, request: Request) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or_default();
    let extension = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if extension.is_some_and(|e| FILE_EXTENSIONS.contains(&e.as_str())) {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    match tower::ServiceExt::oneshot(ServeFile::new(index), request).await {
        Ok(page) => page.map(Body::new),
        Err(never) => match never {},
    }
}

async fn no_app() -> Response {
    (
        StatusCode::NOT_FOUND,
        "Beian's backend is running without the app (no --dist-dir). Use `trunk serve` for the app.\n",
    )
        .into_response()
}

/// What the background tasks watch to stop: set once the server begins to shut down.
#[derive(Clone)]
pub struct Stop(tokio::sync::watch::Receiver<bool>);

impl Stop {
    /// A stop signal and the sender that gives it.
    pub fn channel() -> (tokio::sync::watch::Sender<bool>, Stop) {
        let (sender, receiver) = tokio::sync::watch::channel(false);
        (sender, Stop(receiver))
    }

    /// Waits `interval`; false when the server is stopping (or the sender is gone) before
    /// then: the task ends, never in the middle of its work.
    pub async fn sleep(&mut self, interval: Duration) -> bool {
        let stopped = tokio::select! {
            () = tokio::time::sleep(interval) => false,
            _ = self.0.wait_for(|stopping| *stopping) => true,
        };
        !stopped && !*self.0.borrow()
    }
}

/// Completes at the first SIGTERM or Ctrl-C (SIGINT). The handlers are installed at once, so
/// a signal that comes before the future is polled is not lost.
pub fn shutdown_signal() -> Result<impl Future<Output = &'static str> + Send + 'static, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &str| signal(kind).map_err(|e| format!("error: cannot listen for {name}: {e}"));
        let mut terminate = listen(SignalKind::terminate(), "SIGTERM")?;
        let mut interrupt = listen(SignalKind::interrupt(), "SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

/// How long the background tasks get to finish their round once the server has stopped.
const BACKGROUND_GRACE: Duration = Duration::from_secs(10);

/// Runs the command of `config`: an operator command, or the server until SIGTERM or Ctrl-C.
/// Then it stops taking connections, finishes the requests in flight (each bounded by its
/// timeout) and lets the background tasks finish their round before it returns.
pub async fn run(config: Config) -> Result<(), String> {
    let policy = config.provider_policy()?;
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("error: BEIAN_DATA_DIR / --data-dir {}: {e}", config.data_dir.display()))?;
    let store = Store::open_with_documents(&config.database_url(), &config.data_dir, config.documents_url.as_deref()).await?;
    if config.demo && store.load_demo(beian_api::today()).await? {
        tracing::info!("loaded demo accounts and instances");
    }
    if config.demo && config.command.is_none() && store.load_demo_orders(chrono::Utc::now()).await? {
        tracing::info!("loaded demo filings in every state of the lifecycle");
    }
    if let Some(Command::Backup { file }) = &config.command {
        store.backup_to(file).await.map_err(|e| format!("error: backup to {}: {e}", file.display()))?;
        println!("backed up to {}", file.display());
        return Ok(());
    }
    if let Some(Command::ImportInstances { file }) = &config.command {
        let text = std::fs::read_to_string(file).map_err(|e| format!("error: {}: {e}", file.display()))?;
        let instances: Vec<beian_store::InstanceRecord> =
            serde_json::from_str(&text).map_err(|e| format!("error: {}: {e}", file.display()))?;
        let n = store
            .import_instances(&instances)
            .await
            .map_err(|e| format!("error: {}: {}", file.display(), beian_api::ApiError::from(e).code.as_str()))?;
        println!("imported {n} instances");
        return Ok(());
    }
    let signal = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("error: BEIAN_ADDR / --addr {}: {e}", config.addr))?;
    let state = AppState { store, policy: std::sync::Arc::new(policy), upload_limit: config.upload_limit };
    let gateway = config.gateway();
    let (stopping, stop) = Stop::channel();
    let mut background = vec![clock::start(state.store.clone(), gateway.clone(), Duration::from_secs(config.clock_interval.max(1)), stop.clone())];
    if let Some(url) = &config.smtp_url {
        background.push(mail::start(state.store.clone(), url, &config.mail_from, config.public_url.clone(), Duration::from_secs(30), stop)?);
    }
    let options = Options {
        authority: Some(gateway),
        dist_dir: config.dist_dir.clone(),
        secure_cookies: config.secure_cookies,
        trust_forwarded_for: config.trust_forwarded_for,
        metrics_token: config.metrics_token.clone(),
    };
    let router = app(state, options).await?;
    let bound = listener.local_addr().unwrap_or(config.addr);
    tracing::info!("listening on http://{bound}");
    serve(listener, router, async move {
        let which = signal.await;
        tracing::info!(signal = which, "stopping: no new connections; finishing the requests in flight");
        let _ = stopping.send(true);
    })
    .await
    .map_err(|e| format!("error: server stopped: {e}"))?;
    let finished = tokio::time::timeout(BACKGROUND_GRACE, join_all(background)).await;
    if finished.is_err() {
        tracing::warn!("stopped without waiting longer for the background tasks");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Waits for every task of `tasks`.
async fn join_all(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for task in tasks {
        let _ = task.await;
    }
}
