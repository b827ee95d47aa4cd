//! The documents section: the list this filing needs (province × subject type × path × date,
//! conditions evaluated on the answers), each with an upload that checks type and size before
//! sending, shows progress, and can be replaced. An upload goes into the draft as soon as it
//! is done.

use beian_rules::application::required_documents;
use beian_rules::{DocumentKind, UploadedDocument};
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::*;
use crate::messages::{document_name, error_text};
use crate::state::{AppState, UploadInfo, enum_value, today};

const MAX_BYTES: f64 = 4.0 * 1024.0 * 1024.0;
const ACCEPTED: &[&str] = &["image/jpeg", "image/png", "image/gif", "application/pdf"];

#[derive(Clone, PartialEq)]
enum UploadState {
    Idle,
    Sending(u32),
    /// Refused before sending (too large, not an accepted type).
    Refused(&'static str),
    /// The server refused it, or could not be reached.
    Failed(beian_api::ErrorCode),
}

/// Sends `file` for the draft order `order_id` with XMLHttpRequest (for upload progress);
/// `done` gets the document id.
fn send(order_id: Option<String>, kind: DocumentKind, file: web_sys::File, progress: RwSignal<UploadState>, done: Callback<String>) -> Option<()> {
    let form = web_sys::FormData::new().ok()?;
    if let Some(order_id) = order_id {
        form.append_with_str("order_id", &order_id).ok()?;
    }
    form.append_with_str("kind", &enum_value(&kind)).ok()?;
    form.append_with_blob_and_filename("file", &file, &file.name()).ok()?;
    let xhr = web_sys::XmlHttpRequest::new().ok()?;
    xhr.open("POST", "/api/documents").ok()?;
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress.set(UploadState::Sending((e.loaded() / e.total() * 100.0) as u32));
        }
    });
    xhr.upload().ok()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    on_progress.forget();
    let request = xhr.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let ok = request.status().map(|s| s == 201).unwrap_or(false);
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let id = serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned));
        match (ok, id) {
            (true, Some(id)) => {
                progress.set(UploadState::Idle);
                done.run(id);
            }
            // The server's refusal, with its code; no answer at all: the server was not reached.
            _ => {
                let code = serde_json::from_str::<beian_api::ApiError>(&body).map(|e| e.code).unwrap_or(beian_api::ErrorCode::RequestNetwork);
                progress.set(UploadState::Failed(code));
            }
        }
    });
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    xhr.send_with_opt_form_data(Some(&form)).ok()
}

#[component]
fn Upload(state: AppState, kind: DocumentKind) -> impl IntoView {
    let i18n = use_i18n();
    let progress = RwSignal::new(UploadState::Idle);
    let current = Memo::new(move |_| state.uploads.get().into_iter().find(|u| u.kind == kind));
    let id = format!("upload-{}", enum_value(&kind));
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        if file.size() > MAX_BYTES {
            progress.set(UploadState::Refused("too_large"));
            return;
        }
        if !ACCEPTED.contains(&file.type_().as_str()) {
            progress.set(UploadState::Refused("wrong_type"));
            return;
        }
        let name = file.name();
        progress.set(UploadState::Sending(0));
        let done = Callback::new(move |doc_id: String| {
            state.uploads.update(|all| {
                all.retain(|u| u.kind != kind);
                all.push(UploadInfo { kind, id: doc_id.clone(), name: name.clone() });
            });
            state.edit("documents", |d| {
                d.documents.retain(|u| u.kind != kind);
                d.documents.push(UploadedDocument { kind, id: doc_id.clone() });
            });
            state.save_to_server();
        });
        let order_id = state.order.get_untracked().map(|o| o.id);
        if send(order_id, kind, file, progress, done).is_none() {
            progress.set(UploadState::Failed(beian_api::ErrorCode::RequestNetwork));
        }
    };
    view! {
        <li class="upload" data-testid="upload">
            <label for=id.clone()>{move || document_name(i18n, kind)}</label>
            {move || current.get().map(|u| { let name = u.name.clone(); view! { <p class="uploaded">{t!(i18n, upload.uploaded, name = move || name.clone())}</p> } })}
            {move || match progress.get() {
                UploadState::Sending(p) => Some(view! { <p role="status">{t!(i18n, upload.uploading, percent = move || p)}</p> }.into_any()),
                UploadState::Refused(why) => Some(view! { <p class="field-error" role="alert">{match why {
                    "too_large" => t_string!(i18n, upload.too_large).to_string(),
                    _ => t_string!(i18n, upload.wrong_type).to_string(),
                }}</p> }.into_any()),
                UploadState::Failed(code) => Some(view! { <p class="field-error" role="alert">{error_text(i18n, code)}</p> }.into_any()),
                UploadState::Idle => None,
            }}
            <input type="file" id=id accept=".jpg,.jpeg,.png,.gif,.pdf,image/jpeg,image/png,image/gif,application/pdf" on:change=on_change/>
        </li>
    }
}

#[component]
pub fn DocumentsSection(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let required = Memo::new(move |_| required_documents(&state.draft.get(), today()));
    view! {
        {move || state.account.get().is_none().then(|| view! { <p class="notice"><A href="/login">{t!(i18n, apply.login_needed)}</A></p> })}
        <h2>{t!(i18n, upload.required_title)}</h2>
        <ul class="uploads" id="f-documents" tabindex="-1">
            {move || required.get().into_iter().map(|kind| view! { <Upload state=state kind=kind/> }).collect_view()}
        </ul>
    }
}
