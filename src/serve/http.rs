//! The HTTP face of the service: routes, bearer-token authentication, body limits,
//! timeouts, a per-client rate limit and request logs. Handlers only parse, authenticate and
//! call the domain ([`Service`]); every rule lives there.

use super::error::ApiError;
use super::service::{Role, Service};
use crate::platform::protocol::WELL_KNOWN_PATH;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest body of an ordinary request (enrolment, challenge, witness).
pub const SMALL_BODY: usize = 64 * 1024;
/// Largest submission body: a bundle in base64 plus the text. A 200,000-event session is
/// about 16 MB of journal (docs/PERFORMANCE.md), 22 MB in base64.
pub const SUBMISSION_BODY: usize = 64 * 1024 * 1024;
/// A request taking longer than this is answered 408 and dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The rate limit: each client (by token, else by address) may burst `burst` requests and
/// then `per_second` more each second.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub burst: f64,
    pub per_second: f64,
}

impl Default for RateLimit {
    /// Generous for one trainer (a receipt every 30 s) and a platform's batch jobs, while a
    /// runaway client is slowed to 20 requests a second.
    fn default() -> Self {
        RateLimit { burst: 400.0, per_second: 20.0 }
    }
}

#[derive(Clone)]
struct AppState {
    service: Arc<Service>,
    limiter: Arc<Limiter>,
}

struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    fn allow(&self, key: &str) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else { return true };
        if buckets.len() > 100_000 {
            // Bounded memory: forget everyone (they start again with a full bucket).
            buckets.clear();
        }
        let now = Instant::now();
        let (tokens, last) = buckets.entry(key.to_owned()).or_insert((self.limit.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.limit.per_second)
            .min(self.limit.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The service's routes with every layer applied.
pub fn router(service: Arc<Service>, limit: RateLimit) -> Router {
    let review = super::review::routes(service.clone());
    let state = AppState {
        service,
        limiter: Arc::new(Limiter { limit, buckets: Mutex::new(HashMap::new()) }),
    };
    let small = Router::new()
        .route(WELL_KNOWN_PATH, get(well_known))
        .route("/v1/admin/trainers", post(create_trainer))
        .route("/v1/enrol", post(enrol))
        .route("/v1/challenges", post(create_challenge))
        .route("/v1/challenges/{id}", get(challenge))
        .route("/v1/witness", post(witness))
        .route("/v1/submissions/{id}", get(submission))
        .layer(DefaultBodyLimit::max(SMALL_BODY));
    let large = Router::new()
        .route("/v1/submissions", post(submit))
        .layer(DefaultBodyLimit::max(SUBMISSION_BODY));
    small
        .merge(large)
        .merge(review)
        .fallback(|| async {
            ApiError::not_found("no_route", "no such endpoint; see docs/PLATFORM.md")
        })
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.body())).into_response()
    }
}

type Answer<T> = Result<axum::Json<T>, ApiError>;

async fn rate_limit(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let key = match req.headers().get("authorization").and_then(|v| v.to_str().ok()) {
        Some(auth) => format!("t:{}", crate::sha256_hex(auth.as_bytes())),
        None => {
            let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            format!("a:{peer:?}")
        }
    };
    if s.limiter.allow(&key) { next.run(req).await } else { ApiError::too_many().into_response() }
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| ApiError::unauthorized("send your token as `Authorization: Bearer TOKEN`"))
}

async fn role(s: &AppState, headers: &HeaderMap) -> Result<Role, ApiError> {
    s.service.authenticate(bearer(headers)?).await
}

fn json<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("bad_json", format!("the request body is not the expected JSON: {e}"))
    })
}

fn ok<T: Serialize>(v: T) -> Answer<T> {
    Ok(axum::Json(v))
}

async fn well_known(State(s): State<AppState>) -> Answer<crate::platform::protocol::ServiceInfo> {
    ok(s.service.info())
}

async fn create_trainer(
    State(s): State<AppState>,
    h: HeaderMap,
    body: Bytes,
) -> Answer<crate::platform::protocol::TrainerCreated> {
    let role = role(&s, &h).await?;
    ok(s.service.create_trainer(&role, &json(&body)?).await?)
}

async fn enrol(
    State(s): State<AppState>,
    h: HeaderMap,
    body: Bytes,
) -> Answer<crate::platform::protocol::Enrolled> {
    let token = bearer(&h)?;
    ok(s.service.enrol(token, &json(&body)?).await?)
}

async fn create_challenge(
    State(s): State<AppState>,
    h: HeaderMap,
    body: Bytes,
) -> Answer<crate::platform::protocol::ChallengeOffer> {
    let role = role(&s, &h).await?;
    ok(s.service.create_challenge(&role, &json(&body)?).await?)
}

async fn challenge(
    State(s): State<AppState>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Answer<crate::platform::protocol::ChallengeOffer> {
    let role = role(&s, &h).await?;
    ok(s.service.challenge(&role, &id).await?)
}

async fn witness(
    State(s): State<AppState>,
    h: HeaderMap,
    body: Bytes,
) -> Answer<crate::platform::protocol::Receipt> {
    let role = role(&s, &h).await?;
    ok(s.service.witness(&role, &json(&body)?).await?)
}

async fn submit(
    State(s): State<AppState>,
    h: HeaderMap,
    body: Bytes,
) -> Answer<crate::platform::protocol::SubmitReceipt> {
    let role = role(&s, &h).await?;
    ok(s.service.submit(&role, &json(&body)?).await?)
}

async fn submission(
    State(s): State<AppState>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Answer<crate::platform::protocol::StoredSubmission> {
    let role = role(&s, &h).await?;
    ok(s.service.submission(&role, &id).await?)
}
