//! The service's errors: an HTTP status, a stable code and a sentence for people. Domain
//! functions return them; the HTTP layer only turns them into responses.

use crate::platform::protocol::ErrorBody;

/// A refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
    pub fn bad_request(code: &'static str, m: impl Into<String>) -> ApiError {
        Self::new(400, code, m)
    }
    pub fn unauthorized(m: impl Into<String>) -> ApiError {
        Self::new(401, "unauthorized", m)
    }
    pub fn forbidden(code: &'static str, m: impl Into<String>) -> ApiError {
        Self::new(403, code, m)
    }
    pub fn not_found(code: &'static str, m: impl Into<String>) -> ApiError {
        Self::new(404, code, m)
    }
    pub fn conflict(code: &'static str, m: impl Into<String>) -> ApiError {
        Self::new(409, code, m)
    }
    pub fn unprocessable(code: &'static str, m: impl Into<String>) -> ApiError {
        Self::new(422, code, m)
    }
    pub fn too_many() -> ApiError {
        Self::new(429, "rate_limited", "too many requests; wait a moment and retry")
    }
    /// An internal failure: logged in full, shown without detail.
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "internal error");
        Self::new(500, "internal", "the service failed to handle the request; retry later")
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody { error: self.code.to_owned(), message: self.message.clone() }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::internal(e)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}
