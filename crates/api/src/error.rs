//! Refusals from server functions carry a status and a stable code through the
//! server-function layer as `"<status> <code>: <message>"`; the backend turns them into JSON
//! error responses (`{"code": ..., "message": ...}`) with that status.

use leptos::prelude::ServerFnError;

/// A refusal with an HTTP status and a stable code.
pub fn refuse(status: u16, code: &str, message: &str) -> ServerFnError {
    ServerFnError::ServerError(format!("{status} {code}: {message}"))
}

/// The stable code of an error the app received, if the backend sent one.
pub fn code_of(error: &ServerFnError) -> Option<String> {
    let text = error.to_string();
    let start = text.find(|c: char| c.is_ascii_lowercase())?;
    let rest = text.get(start..)?;
    let code = rest.split(':').next()?;
    (code.contains('.') && !code.contains(' ')).then(|| code.to_owned())
}

/// Maps a store error to the server function's error: refusals keep their status and code,
/// failures become a 500 whose detail is logged, not sent.
#[cfg(feature = "ssr")]
pub fn store_error(e: beian_store::StoreError) -> ServerFnError {
    use beian_store::StoreError as E;
    let status = match &e {
        E::NotFound(_) => 404,
        E::Forbidden(_) => 403,
        E::Conflict(_) => 409,
        E::Invalid(_) => 400,
        E::Unauthorized(_) => 401,
        E::Database(_) | E::Files(_) => return ServerFnError::new(e.to_string()),
    };
    refuse(status, e.code(), &e.to_string())
}
