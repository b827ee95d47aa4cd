//! What an operator watches: `GET /metrics` in the Prometheus text format, through the
//! `metrics` facade and its Prometheus exporter.
//!
//! Served only when the operator sets a token (`--metrics-token` / `BEIAN_METRICS_TOKEN`),
//! and then only to a scraper that sends it as `Authorization: Bearer <token>`; without a
//! token, `/metrics` is a 404 and nothing is recorded.
//!
//! What is measured: every request by method, route and status, with its latency (to the
//! answer's head); orders by status and how long the oldest has waited in each status of the
//! reviewers' queue (read from the store at each scrape); the database pool's connections;
//! the bytes of uploaded documents. Never a person's data: a route is its template
//! (`/api/documents/{id}`, never a document's id), a server function its fixed path, and
//! anything else one label for all (`other`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use beian_api::ErrorCode;
use beian_store::Store;
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use subtle::ConstantTimeEq;

/// Requests answered: `method`, `route`, `status`.
pub const REQUESTS: &str = "beian_http_requests_total";
/// Seconds from a request's arrival to its answer's head: `method`, `route`.
pub const REQUEST_SECONDS: &str = "beian_http_request_duration_seconds";
/// Orders in each status: `status`.
pub const ORDERS: &str = "beian_orders";
/// Seconds since the longest-waiting order of a queue status entered it (0 when none):
/// `status`. `provider_review` is the provider's own queue.
pub const QUEUE_OLDEST_SECONDS: &str = "beian_queue_oldest_seconds";
/// The database pool's open connections: `state` = `idle` or `in_use`.
pub const POOL_CONNECTIONS: &str = "beian_db_pool_connections";
/// The most connections the pool opens.
pub const POOL_MAX: &str = "beian_db_pool_max_connections";
/// Bytes of document files received by uploads (refused ones included).
pub const UPLOAD_BYTES: &str = "beian_upload_bytes_total";

/// Latency buckets, in seconds: from a cached answer to the upload timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
];

/// The route every server function shares in the router; a request on it is labelled with
/// its function's own path when that names a registered function.
pub const SERVER_FN_ROUTE: &str = "/api/{*fn_name}";

/// The label of a request that matched no route (the app's files and pages, unknown paths).
const OTHER: &str = "other";

/// The process's recorder (a process has one): `None` inside when it could not be installed.
static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on first use: `None` when it could not be installed
/// (logged once).
fn recorder() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let installed = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), LATENCY_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match installed {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::error!(error = %e, "metrics: the recorder could not be installed");
                    None
                }
            }
        })
        .as_ref()
}

/// True once the recorder is installed (what is recorded before then goes nowhere).
fn recording() -> bool {
    matches!(RECORDER.get(), Some(Some(_)))
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        REQUESTS,
        "Requests answered, by method, route template and status."
    );
    describe_histogram!(
        REQUEST_SECONDS,
        Unit::Seconds,
        "Time from a request's arrival to its answer's head."
    );
    describe_gauge!(ORDERS, "Orders in each status.");
    describe_gauge!(
        QUEUE_OLDEST_SECONDS,
        Unit::Seconds,
        "Time the longest-waiting order of each queue status has waited in it."
    );
    describe_gauge!(
        POOL_CONNECTIONS,
        "The database pool's open connections, idle or in use."
    );
    describe_gauge!(POOL_MAX, "The most connections the database pool opens.");
    describe_counter!(
        UPLOAD_BYTES,
        Unit::Bytes,
        "Bytes of document files received by uploads."
    );
    // Shown from the start (at 0), not from the first upload on.
    metrics::counter!(UPLOAD_BYTES).absolute(0);
}

/// What `/metrics` answers with: the store (for the gauges read at each scrape) and the
/// operator's token (`None`: not served).
#[derive(Clone)]
pub struct Exporter {
    store: Store,
    token: Option<Arc<str>>,
}

impl Exporter {
    /// The exporter for `store`; with a token, installs the recorder (so that requests are
    /// measured from now on) and keeps its histograms drained every few seconds.
    pub fn new(store: Store, token: Option<String>) -> Exporter {
        let token: Option<Arc<str>> = token.filter(|t| !t.is_empty()).map(Arc::from);
        if token.is_some()
            && let Some(handle) = recorder()
        {
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    handle.run_upkeep();
                }
            });
        }
        Exporter { store, token }
    }

    /// True when `/metrics` is served.
    pub fn enabled(&self) -> bool {
        self.token.is_some()
    }
}

/// True when `headers` carry `Authorization: Bearer <token>` (compared in constant time).
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    given.is_some_and(|g| bool::from(g.trim().as_bytes().ct_eq(token.as_bytes())))
}

/// `GET /metrics`: 404 when no token is set, 401 without the right bearer token, else the
/// Prometheus text.
pub async fn scrape(State(exporter): State<Exporter>, headers: HeaderMap) -> Response {
    let Some(token) = &exporter.token else {
        return crate::errors::error(ErrorCode::ApiNotFound);
    };
    if !authorized(&headers, token) {
        let mut response = crate::errors::error(ErrorCode::MetricsTokenRequired);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return response;
    }
    let Some(handle) = recorder() else {
        return crate::errors::error(ErrorCode::Internal);
    };
    read_store(&exporter.store).await;
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        handle.render(),
    )
        .into_response()
}

/// Sets the gauges read from the store: orders by status, the queue's oldest, the pool.
async fn read_store(store: &Store) {
    use beian_rules::OrderStatus;
    use beian_rules::wire::name;
    match store.orders_by_status().await {
        Ok(counts) => {
            let now = chrono::Utc::now();
            for status in OrderStatus::ALL {
                let label = name(status);
                let count = counts.iter().find(|c| c.status == label);
                metrics::gauge!(ORDERS, "status" => label.clone())
                    .set(count.map_or(0.0, |c| c.orders as f64));
                if beian_rules::lifecycle::IN_QUEUE.contains(status) {
                    let since = count
                        .and_then(|c| c.oldest_since.as_deref())
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
                    let age = since.map_or(0.0, |s| {
                        (now - s.with_timezone(&chrono::Utc))
                            .num_milliseconds()
                            .max(0) as f64
                            / 1000.0
                    });
                    metrics::gauge!(QUEUE_OLDEST_SECONDS, "status" => label).set(age);
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: orders by status could not be read"),
    }
    let pool = store.pool_use();
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use")
        .set(f64::from(pool.open.saturating_sub(pool.idle)));
    metrics::gauge!(POOL_MAX).set(f64::from(pool.max));
}

/// Counts the bytes of an uploaded document's chunk.
pub fn upload_bytes(n: usize) {
    metrics::counter!(UPLOAD_BYTES).increment(n as u64);
}

/// The paths of the registered server functions (the only ones labelled by their own path).
pub fn server_function_paths() -> Arc<HashSet<&'static str>> {
    Arc::new(
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect(),
    )
}

/// A request's route label: the template it matched; on the server functions' route, the
/// function's path when it names a registered one; else [`OTHER`].
fn route_label(req: &Request, functions: &HashSet<&'static str>) -> &'static str {
    match req
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
    {
        Some(SERVER_FN_ROUTE) => functions
            .get(req.uri().path())
            .copied()
            .unwrap_or(SERVER_FN_ROUTE),
        Some(template) => interned(template),
        None => OTHER,
    }
}

/// `template` as a string that lives as long as the process: the router's templates are
/// few and written in the code, so each is kept once, at its first request.
fn interned(template: &str) -> &'static str {
    static TEMPLATES: RwLock<BTreeSet<&'static str>> = RwLock::new(BTreeSet::new());
    if let Some(known) = TEMPLATES.read().unwrap_or_else(PoisonError::into_inner).get(template).copied() {
        return known;
    }
    let mut templates = TEMPLATES.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = templates.get(template).copied() {
        return known;
    }
    let kept: &'static str = Box::leak(template.into());
    templates.insert(kept);
    kept
}

/// A request's method label: the standard ones by name, any other as `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => OTHER,
    }
}

/// The handles of the request metrics, asked of the recorder once per label set: asking
/// builds the labels and looks them up in the recorder's registry, which cost more than the
/// rest of a request's bookkeeping.
struct Handles {
    requests: RwLock<HashMap<(&'static str, &'static str, u16), Counter, Hasher>>,
    seconds: RwLock<HashMap<(&'static str, &'static str), Histogram, Hasher>>,
}

/// The labels are the code's own strings, not a caller's: no random keys needed.
type Hasher = BuildHasherDefault<DefaultHasher>;

static HANDLES: Handles = Handles {
    requests: RwLock::new(HashMap::with_hasher(BuildHasherDefault::new())),
    seconds: RwLock::new(HashMap::with_hasher(BuildHasherDefault::new())),
};

impl Handles {
    fn time(&self, method: &'static str, route: &'static str, seconds: f64) {
        let key = (method, route);
        if let Some(histogram) = self.seconds.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            histogram.record(seconds);
            return;
        }
        self.seconds
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_insert_with(|| metrics::histogram!(REQUEST_SECONDS, "method" => method, "route" => route))
            .record(seconds);
    }

    fn count(&self, method: &'static str, route: &'static str, status: StatusCode) {
        let key = (method, route, status.as_u16());
        if let Some(counter) = self.requests.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            counter.increment(1);
            return;
        }
        self.requests
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_insert_with(|| {
                let status = status.as_str().to_owned();
                metrics::counter!(REQUESTS, "method" => method, "route" => route, "status" => status)
            })
            .increment(1);
    }
}

/// A request being counted: its labels and when it arrived.
pub struct Tracked {
    method: &'static str,
    route: &'static str,
    started: Instant,
}

impl Tracked {
    /// Starts counting `req` (`functions`: [`server_function_paths`]); `None` until the
    /// recorder is installed.
    pub fn start(req: &Request, functions: &HashSet<&'static str>) -> Option<Tracked> {
        recording().then(|| Tracked {
            method: method_label(req.method()),
            route: route_label(req, functions),
            started: Instant::now(),
        })
    }

    /// Counts the answer's `status` and the time to its head.
    pub fn finish(self, status: StatusCode) {
        HANDLES.time(self.method, self.route, self.started.elapsed().as_secs_f64());
        HANDLES.count(self.method, self.route, status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_must_match_exactly() {
        let mut headers = HeaderMap::new();
        assert!(!authorized(&headers, "a-long-enough-token"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer a-long-enough-token"),
        );
        assert!(authorized(&headers, "a-long-enough-token"));
        assert!(!authorized(&headers, "a-long-enough-token-2"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic a-long-enough-token"),
        );
        assert!(!authorized(&headers, "a-long-enough-token"));
    }

    #[test]
    fn a_route_template_is_kept_once() {
        let first = interned(&String::from("/api/documents/{id}"));
        let again = interned(&String::from("/api/documents/{id}"));
        assert_eq!(first, "/api/documents/{id}");
        assert!(std::ptr::eq(first, again));
        assert_eq!(interned("/readyz"), "/readyz");
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::POST), "POST");
        assert_eq!(
            method_label(&Method::from_bytes(b"BREW").expect("method")),
            OTHER
        );
    }
}
