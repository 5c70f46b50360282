//! The auditors' web review at `/review` (docs/REVIEW.md): a login with an auditor token, the
//! queue of submissions (filter, sort, paginate, decide, export CSV) and one page per
//! submission with the verdict, the analysis and the interactive replay — the same page
//! `handprint replay FILE --report` writes ([`crate::report::Evidence::to_page`]).
//!
//! [`queue`] and [`session`] hold the rules and the SQL (tested without HTTP); [`pages`]
//! the HTML; this module only routes, authenticates and sets the security headers: a
//! Content-Security-Policy that runs no script but the page's own (by nonce) and loads
//! nothing from anywhere, cookies that are HttpOnly, Secure and SameSite=Strict, and a CSRF
//! token checked on every form that changes something.

pub mod pages;
pub mod queue;
pub mod session;

use super::error::ApiError;
use super::random::random_hex;
use super::service::{Role, Service};
use super::submission;
use crate::record::Record;
use crate::report::{Evidence, PageExtras};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use queue::{Decision, Filter};
use serde::Deserialize;
use session::Session;
use std::sync::Arc;

/// Largest form body (a decision note is at most [`queue::NOTE_MAX`] characters).
const FORM_BODY: usize = 64 * 1024;

/// The review's routes, for [`super::http::router`].
pub fn routes<S: Clone + Send + Sync + 'static>(service: Arc<Service>) -> Router<S> {
    Router::new()
        .route("/review", get(queue_page))
        .route("/review/login", get(login_page).post(login))
        .route("/review/logout", post(logout))
        .route("/review/s/{id}", get(submission_page))
        .route("/review/s/{id}/decision", post(decide))
        .route("/review/export.csv", get(export_queue))
        .route("/review/decisions.csv", get(export_decisions))
        .layer(DefaultBodyLimit::max(FORM_BODY))
        .with_state(service)
}

type St = State<Arc<Service>>;

/// The security headers of every review response. `nonce` allows the page's own script.
fn secured(mut resp: Response, nonce: Option<&str>) -> Response {
    let script = nonce.map_or_else(|| "'none'".to_owned(), |n| format!("'nonce-{n}'"));
    let csp = format!(
        "default-src 'none'; script-src {script}; style-src 'unsafe-inline'; img-src data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
}

fn html(status: StatusCode, body: String, nonce: Option<&str>) -> Response {
    let resp = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    secured(resp, nonce)
}

fn redirect(to: &str, cookies: &[String]) -> Response {
    let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    secured(resp, None)
}

/// An error as a small page (the review is read by people, not scripts).
fn error_page(e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = pages::document(
        "Handprint review: error",
        &format!(
            "<h1>{}</h1><p class=\"err\">{}</p><p><a href=\"/review\">Back to the queue</a></p>",
            status.as_u16(),
            crate::report::escape(&e.message)
        ),
    );
    html(status, body, None)
}

/// A cookie with the attributes every review cookie has.
fn cookie(name: &str, value: &str, max_age: i64) -> String {
    format!("{name}={value}; Path=/review; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Who is asking: a bearer token (scripts; a trainer's is refused), a session cookie, or
/// nobody. A bearer token is not sent by browsers on their own, so it needs no CSRF token.
async fn who(service: &Service, headers: &HeaderMap) -> Result<Option<(Session, bool)>, ApiError> {
    if let Some(token) = bearer(headers) {
        return Ok(Some((session::of_token(service, token).await?, true)));
    }
    match cookie_value(headers, session::COOKIE) {
        Some(c) => Ok(session::find(service.store().pool(), &c).await?.map(|s| (s, false))),
        None => Ok(None),
    }
}

/// The session of a page request; anonymous visitors are sent to the login form.
async fn page_session(service: &Service, headers: &HeaderMap) -> Result<Session, Response> {
    match who(service, headers).await {
        Ok(Some((s, _))) => Ok(s),
        Ok(None) => Err(redirect("/review/login", &[])),
        Err(e) => Err(error_page(e)),
    }
}

async fn login_page(State(_): St) -> Response {
    match session::login_token() {
        Ok(t) => {
            let mut resp = html(StatusCode::OK, pages::login(&t, None), None);
            if let Ok(v) = HeaderValue::from_str(&cookie(session::LOGIN_COOKIE, &t, 3600)) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf: String,
}

async fn login(State(s): St, headers: HeaderMap, Form(f): Form<LoginForm>) -> Response {
    let expected = cookie_value(&headers, session::LOGIN_COOKIE).unwrap_or_default();
    if !session::csrf_matches(&expected, &f.csrf) {
        return error_page(ApiError::forbidden(
            "csrf",
            "the login form expired or came from another site; open the login page again",
        ));
    }
    match session::login(&s, &f.token).await {
        Ok((value, _)) => redirect(
            "/review",
            &[
                cookie(session::COOKIE, &value, session::SESSION_HOURS * 3600),
                cookie(session::LOGIN_COOKIE, "", 0),
            ],
        ),
        Err(e) => {
            let page = pages::login(&f.csrf, Some(&e.message));
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::UNAUTHORIZED);
            html(status, page, None)
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(State(s): St, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    let session = match page_session(&s, &headers).await {
        Ok(session) => session,
        Err(resp) => return resp,
    };
    if !session::csrf_matches(&session.csrf, &f.csrf) {
        return error_page(csrf_refused());
    }
    if let Some(c) = cookie_value(&headers, session::COOKIE)
        && let Err(e) = session::logout(s.store().pool(), &c).await
    {
        return error_page(e);
    }
    redirect("/review/login", &[cookie(session::COOKIE, "", 0)])
}

fn csrf_refused() -> ApiError {
    ApiError::forbidden(
        "csrf",
        "the form's security token is missing or wrong (an old page, or a form from another site); reload the page and try again",
    )
}

async fn queue_page(State(s): St, headers: HeaderMap, Query(f): Query<Filter>) -> Response {
    let session = match page_session(&s, &headers).await {
        Ok(session) => session,
        Err(resp) => return resp,
    };
    match queue::page(s.store().pool(), &f).await {
        Ok(page) => {
            let nav = pages::nav(&session.who, &session.csrf);
            html(StatusCode::OK, pages::queue(&nav, &f, &page, None), None)
        }
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    done: Option<String>,
}

async fn submission_page(
    State(s): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let session = match page_session(&s, &headers).await {
        Ok(session) => session,
        Err(resp) => return resp,
    };
    match submission_html(&s, &session, &id, q.done.is_some()).await {
        Ok((body, nonce)) => html(StatusCode::OK, body, Some(&nonce)),
        Err(e) => error_page(e),
    }
}

/// The submission page and the nonce its script runs under.
async fn submission_html(
    s: &Service,
    session: &Session,
    id: &str,
    decided: bool,
) -> Result<(String, String), ApiError> {
    let pool = s.store().pool();
    let row = queue::row(pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_submission", format!("no submission {id}")))?;
    let stored = sqlx::query("SELECT challenge, bundle, text FROM submissions WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let text = super::store::text(&stored, "text");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(super::store::text(&stored, "bundle"))
        .map_err(ApiError::internal)?;
    let offer = s.challenge(&Role::Admin, &super::store::text(&stored, "challenge")).await?;
    let claimed = submission::read_claims(&bytes)?;
    let signer = claimed.statement.predicate.signer.fingerprint.clone();
    let key = s
        .keys_of(&row.trainer)
        .await?
        .into_iter()
        .find(|k| k.key.fingerprint() == signer)
        .map(|k| k.key)
        .ok_or_else(|| ApiError::internal(format!("no enrolled key {signer} for {id}")))?;
    let receipts = s.receipts_of(&claimed.session, &offer.challenge.id).await?;
    let service_key = s.info_key();
    let source = format!("submission {id}");
    // Verification, analysis and the page are CPU work: off the async workers.
    let evidence = tokio::task::spawn_blocking(move || -> Result<(Evidence, String), ApiError> {
        let record = Record::from_bytes(std::path::Path::new(&source), &bytes)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let (report, analysis) =
            submission::check(&record, &text, &offer.challenge, key, service_key, &receipts);
        Ok((Evidence::from_checked(record, &report, analysis, None), text))
    })
    .await
    .map_err(ApiError::internal)??;
    let (evidence, text) = evidence;
    let history = queue::decisions(pool, Some(id)).await?;
    let nav = pages::nav(&session.who, &session.csrf);
    let header = pages::submission_header(&nav, &row, decided.then_some("Decision recorded."));
    let panel = pages::decision_panel(id, &row.decision, &history, &session.csrf);
    let nonce = random_hex(16)?;
    let page = evidence.to_page(
        evidence.compare(&text),
        PageExtras {
            entries: None,
            nonce: Some(&nonce),
            header: Some(&header),
            after_verdict: Some(&panel),
        },
    );
    Ok((page, nonce))
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

async fn decide(
    State(s): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    let (session, by_bearer) = match who(&s, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return error_page(ApiError::unauthorized("log in to record decisions")),
        Err(e) => return error_page(e),
    };
    if !by_bearer && !session::csrf_matches(&session.csrf, &f.csrf) {
        return error_page(csrf_refused());
    }
    let Some(decision) = Decision::parse(&f.decision) else {
        return error_page(ApiError::bad_request(
            "bad_decision",
            "choose accepted, needs follow-up or rejected",
        ));
    };
    match queue::decide(s.store().pool(), &id, decision, &f.note, &session.who).await {
        Ok(_) => redirect(&format!("/review/s/{id}?done=1"), &[]),
        Err(e) => error_page(e),
    }
}

/// The session of a CSV download: anonymous callers get 401, not a login page.
async fn api_session(s: &Service, headers: &HeaderMap) -> Result<Session, ApiError> {
    who(s, headers)
        .await?
        .map(|(session, _)| session)
        .ok_or_else(|| ApiError::unauthorized("log in, or send an auditor token as a bearer"))
}

fn csv(name: &str, body: String) -> Response {
    let resp = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response();
    secured(resp, None)
}

async fn export_queue(State(s): St, headers: HeaderMap, Query(f): Query<Filter>) -> Response {
    let result = async {
        api_session(&s, &headers).await?;
        queue::queue_csv(&queue::all(s.store().pool(), &f).await?)
    }
    .await;
    match result {
        Ok(body) => csv("handprint-queue.csv", body),
        Err(e) => secured(e.into_response(), None),
    }
}

async fn export_decisions(State(s): St, headers: HeaderMap) -> Response {
    let result = async {
        api_session(&s, &headers).await?;
        queue::decisions_csv(&queue::decisions(s.store().pool(), None).await?)
    }
    .await;
    match result {
        Ok(body) => csv("handprint-decisions.csv", body),
        Err(e) => secured(e.into_response(), None),
    }
}
