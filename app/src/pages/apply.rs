//! The application home: a task list with a status per task (one per step of the wizard),
//! shown at the start and at every return.

use beian_rules::Code;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{path_name, status_name};
use crate::state::AppState;
use crate::wizard::{self, StepId};

#[derive(Clone, Copy, PartialEq, Eq)]
enum TaskStatus {
    NotStarted,
    InProgress,
    Completed,
    CannotStart,
    Problem,
}

fn status_of(state: AppState, id: StepId) -> TaskStatus {
    if id == StepId::Review {
        let path = state.draft.with(|d| d.path);
        let done = wizard::steps_for(path).filter(|s| s.id != StepId::Review).all(|s| status_of(state, s.id) == TaskStatus::Completed);
        return if done { TaskStatus::NotStarted } else { TaskStatus::CannotStart };
    }
    let fields = state.draft.with(|d| wizard::step_fields(id, d));
    let errors: Vec<_> = state.findings.with(|all| all.iter().filter(|f| f.is_error() && fields.contains(&f.field)).cloned().collect());
    let shown = state.shown.get();
    if errors.iter().any(|f| shown.contains(&f.field) && f.code != Code::Required) {
        return TaskStatus::Problem;
    }
    let required = errors.iter().filter(|f| matches!(f.code, Code::Required | Code::DocumentMissing | Code::NoWebsite)).count();
    if errors.is_empty() {
        TaskStatus::Completed
    } else if required == errors.len() && (required >= fields.len().min(3) || id == StepId::Documents && state.uploads.get().is_empty()) {
        TaskStatus::NotStarted
    } else {
        TaskStatus::InProgress
    }
}

#[component]
pub fn ApplyHome(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, apply.title).to_string()));
    let create = move |_| {
        let Some(path) = state.draft.get_untracked().path else { return };
        leptos::task::spawn_local(async move {
            match beian_api::create_order(path).await {
                Ok(order) => state.started(order),
                Err(e) => state.report(e),
            }
        });
    };
    let task = move |id: StepId| {
        let step = wizard::step(id);
        let status = move || status_of(state, id);
        let words = move || match status() {
            TaskStatus::NotStarted => t_string!(i18n, apply.status_not_started).to_string(),
            TaskStatus::InProgress => t_string!(i18n, apply.status_in_progress).to_string(),
            TaskStatus::Completed => t_string!(i18n, apply.status_completed).to_string(),
            TaskStatus::CannotStart => t_string!(i18n, apply.status_cannot_start).to_string(),
            TaskStatus::Problem => t_string!(i18n, apply.status_problem).to_string(),
        };
        let class = move || match status() {
            TaskStatus::Completed => "tag tag--ok",
            TaskStatus::Problem => "tag tag--no",
            TaskStatus::CannotStart => "tag tag--grey",
            _ => "tag",
        };
        view! {
            <li class="task" data-testid="task">
                {move || {
                    let label = (step.title)(i18n.get_locale());
                    if status() == TaskStatus::CannotStart {
                        view! { <span>{label}</span> }.into_any()
                    } else {
                        view! { <A href=step.route>{label}</A> }.into_any()
                    }
                }}
                <strong class=class>{words}</strong>
            </li>
        }
    };
    view! {
        <h1>{t!(i18n, apply.title)}</h1>
        {move || match state.draft.get().path {
            None => view! {
                <p>{t!(i18n, apply.no_path)}</p>
                <p><A href="/check/location" attr:class="button">{t!(i18n, start.check_button)}</A></p>
            }.into_any(),
            Some(path) => view! {
                <p class="lead" data-testid="apply-path">{path_name(i18n, path)}</p>
                {move || match (state.account.get(), state.order.get()) {
                    (None, _) => view! { <p class="notice"><A href="/login">{t!(i18n, apply.login_needed)}</A></p> }.into_any(),
                    (Some(_), None) => view! { <p><button type="button" class="button" on:click=create>{t!(i18n, apply.create)}</button></p> }.into_any(),
                    (Some(_), Some(order)) => view! {
                        <p class="hint">{t!(i18n, apply.saved_server)} " · " <A href="/order">{status_name(i18n, order.status)}</A></p>
                    }.into_any(),
                }}
                <h2>{t!(i18n, apply.tasks_title)}</h2>
                <ol class="task-list">
                    {wizard::steps_for(Some(path)).map(|s| task(s.id)).collect_view()}
                </ol>
            }.into_any(),
        }}
    }
}
