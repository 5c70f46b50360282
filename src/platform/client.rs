//! A small blocking HTTPS client for the platform service, used by the CLI, the recorder's
//! witness thread and the submission spool.
//!
//! Plain `http://` is refused except to the loopback interface: a token or a receipt sent in
//! clear over a network could be read or changed on the way. Platforms terminate TLS in front
//! of the service (docs/PLATFORM.md).

use super::protocol::{
    ChallengeOffer, EnrolRequest, Enrolled, ErrorBody, Receipt, ServiceInfo, SubmitReceipt,
    SubmitRequest, WELL_KNOWN_PATH, WitnessRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use thiserror::Error;

/// How long one request may take in all. Receipts sent late only widen the witnessed span;
/// a hung request must not hold the witness thread for long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Submissions carry whole bundles (megabytes for long sessions).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest response body read: every protocol answer is small.
const MAX_RESPONSE: u64 = 1 << 20;

/// Why a request to the platform failed.
#[derive(Debug, Error)]
pub enum ClientError {
    #[error(
        "{0} is not an https:// address; plain http is only allowed to this machine (127.0.0.1, ::1, localhost)"
    )]
    Insecure(String),
    #[error("{0} is not a valid service address (expected https://host[:port])")]
    BadUrl(String),
    #[error("cannot reach the platform service at {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error("the platform refused the request ({status} {code}): {message}")]
    Refused { status: u16, code: String, message: String },
    #[error("the platform's answer could not be read: {0}")]
    BadAnswer(String),
}

impl ClientError {
    /// Whether retrying later may succeed (the service was down or slow), as opposed to a
    /// refusal that will not change by itself.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. } => true,
            ClientError::Refused { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// The stable reason code of a refusal.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A connection to one platform service, with the trainer's token when enrolled.
#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
    upload_agent: ureq::Agent,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}

impl Client {
    /// A client for the service at `base` (e.g. `https://platform.example`), refusing
    /// plain http to anything but loopback.
    pub fn new(base: &str, token: Option<String>) -> Result<Client, ClientError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        let loopback = check_url(&base)?;
        let agent = |timeout| -> ureq::Agent {
            let mut b = ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .http_status_as_error(false)
                .max_redirects(0);
            if loopback {
                // A proxy from the environment must not see loopback traffic.
                b = b.proxy(None);
            }
            b.build().into()
        };
        Ok(Client {
            agent: agent(REQUEST_TIMEOUT),
            upload_agent: agent(UPLOAD_TIMEOUT),
            base,
            token,
        })
    }

    /// The service address this client talks to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET /.well-known/handprint`.
    pub fn service_info(&self) -> Result<ServiceInfo, ClientError> {
        self.get(WELL_KNOWN_PATH)
    }

    /// `POST /v1/enrol` with an enrolment token (first time) or the API token (rotation).
    pub fn enrol(&self, token: &str, req: &EnrolRequest) -> Result<Enrolled, ClientError> {
        self.send(&self.agent, "/v1/enrol", Some(token), req)
    }

    /// `GET` a challenge by its full URL or its id on this service.
    pub fn challenge(&self, url_or_id: &str) -> Result<ChallengeOffer, ClientError> {
        let path = match url_or_id.strip_prefix(&self.base) {
            Some(p) => p.to_owned(),
            None if url_or_id.contains("://") => {
                return Err(ClientError::BadUrl(format!(
                    "{url_or_id} (not on the enrolled service {})",
                    self.base
                )));
            }
            None => format!("/v1/challenges/{url_or_id}"),
        };
        self.get(&path)
    }

    /// `POST /v1/witness`: the chain head of a session being recorded.
    pub fn witness(&self, req: &WitnessRequest) -> Result<Receipt, ClientError> {
        self.send(&self.agent, "/v1/witness", self.token.as_deref(), req)
    }

    /// `POST /v1/submissions`: a finished bundle and its text.
    pub fn submit(&self, req: &SubmitRequest) -> Result<SubmitReceipt, ClientError> {
        self.send(&self.upload_agent, "/v1/submissions", self.token.as_deref(), req)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base);
        let mut req = self.agent.get(&url);
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let resp = req.call().map_err(|e| unreachable(&url, e))?;
        read(resp)
    }

    fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        agent: &ureq::Agent,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base);
        let mut req = agent.post(&url);
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let resp = req.send_json(body).map_err(|e| unreachable(&url, e))?;
        read(resp)
    }
}

fn unreachable(url: &str, e: ureq::Error) -> ClientError {
    ClientError::Unreachable { url: url.to_owned(), why: e.to_string() }
}

fn read<T: DeserializeOwned>(mut resp: ureq::http::Response<ureq::Body>) -> Result<T, ClientError> {
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE)
        .read_to_string()
        .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|e| ClientError::BadAnswer(e.to_string()));
    }
    let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(b) => (b.error, b.message),
        Err(_) => ("http".to_owned(), text.chars().take(200).collect()),
    };
    Err(ClientError::Refused { status, code, message })
}

/// Accepts `https://…`, and `http://` only to loopback. Returns whether the host is loopback.
pub fn check_url(url: &str) -> Result<bool, ClientError> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| ClientError::BadUrl(url.into()))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    if host.is_empty() {
        return Err(ClientError::BadUrl(url.into()));
    }
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(loopback),
        "http" if loopback => Ok(true),
        "http" => Err(ClientError::Insecure(url.into())),
        _ => Err(ClientError::BadUrl(url.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        assert!(matches!(check_url("http://platform.example"), Err(ClientError::Insecure(_))));
        assert!(matches!(check_url("http://10.0.0.1:8750/x"), Err(ClientError::Insecure(_))));
        assert!(matches!(
            check_url("http://127.0.0.1@evil.example/"),
            Err(ClientError::Insecure(_))
        ));
        assert_eq!(check_url("http://127.0.0.1:8750").ok(), Some(true));
        assert_eq!(check_url("http://[::1]:8750/").ok(), Some(true));
        assert_eq!(check_url("http://localhost").ok(), Some(true));
        assert_eq!(check_url("https://platform.example").ok(), Some(false));
        assert!(matches!(check_url("ftp://x"), Err(ClientError::BadUrl(_))));
        assert!(matches!(check_url("platform.example"), Err(ClientError::BadUrl(_))));
    }

    #[test]
    fn only_outages_are_worth_retrying() {
        let refused =
            |status| ClientError::Refused { status, code: "x".into(), message: "".into() };
        assert!(refused(503).is_transient());
        assert!(refused(429).is_transient());
        assert!(!refused(409).is_transient());
        assert!(!refused(401).is_transient());
    }
}
