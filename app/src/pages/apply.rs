//! The application home: a task list with a status per task, shown at the start and at every
//! return.

use beian_rules::{Application, Code};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::set_title;
use crate::i18n::*;
use crate::messages::path_name;
use crate::state::AppState;

const PERSON_FIELDS: &[&str] =
    &["name", "certificate_type", "certificate_number", "certificate_valid_until", "mobile", "emergency_mobile", "office_phone", "email"];

/// The fields of a person at `prefix`.
pub fn person_fields(prefix: &str) -> Vec<String> {
    PERSON_FIELDS.iter().map(|f| format!("{prefix}.{f}")).collect()
}

/// The field paths each task asks for.
pub fn task_fields(task: Task, app: &Application) -> Vec<String> {
    match task {
        Task::Instance => vec!["service_code".into()],
        Task::Subject => ["province", "subject.subject_type", "subject.name", "subject.certificate_type", "subject.certificate_number", "subject.certificate_address", "subject.mailing_address", "subject.investor"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        Task::Principal => person_fields("subject_principal"),
        Task::Websites => {
            let mut fields = vec!["websites".to_owned()];
            for (i, w) in app.websites.iter().enumerate() {
                for f in ["name", "domain", "domain_holder", "content", "principal"] {
                    fields.push(format!("websites[{i}].{f}"));
                }
                if w.principal.is_some() {
                    fields.extend(person_fields(&format!("websites[{i}].principal")));
                }
            }
            fields
        }
        Task::Documents => vec!["documents".into()],
        Task::Review => Vec::new(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    Instance,
    Subject,
    Principal,
    Websites,
    Documents,
    Review,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TaskStatus {
    NotStarted,
    InProgress,
    Completed,
    CannotStart,
    Problem,
}

fn status_of(state: &AppState, task: Task) -> TaskStatus {
    let app = state.draft.get();
    if task == Task::Review {
        let done = [Task::Instance, Task::Subject, Task::Principal, Task::Websites, Task::Documents]
            .iter()
            .all(|t| status_of(state, *t) == TaskStatus::Completed);
        return if done { TaskStatus::NotStarted } else { TaskStatus::CannotStart };
    }
    let fields = task_fields(task, &app);
    let errors: Vec<_> = state.findings.get().into_iter().filter(|f| f.is_error() && fields.contains(&f.field)).collect();
    let shown = state.shown.get();
    if errors.iter().any(|f| shown.contains(&f.field) && f.code != Code::Required) {
        return TaskStatus::Problem;
    }
    let required = errors.iter().filter(|f| f.code == Code::Required || f.code == Code::DocumentMissing || f.code == Code::NoWebsite).count();
    if errors.is_empty() {
        TaskStatus::Completed
    } else if required == errors.len() && (required >= fields.len().min(3) || task == Task::Documents && state.uploads.get().is_empty()) {
        TaskStatus::NotStarted
    } else {
        TaskStatus::InProgress
    }
}

#[component]
pub fn ApplyHome() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    Effect::new(move |_| set_title(t_string!(i18n, apply.title).to_string()));
    let create = move |_| {
        let Some(path) = state.draft.get_untracked().path else { return };
        leptos::task::spawn_local(async move {
            if let Ok(order) = beian_api::create_order(path).await {
                state.order.set(Some(order));
                state.save_to_server();
            }
        });
    };
    let task = move |t: Task, href: &'static str, label: String| {
        let status = move || status_of(&state, t);
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
                    let label = label.clone();
                    if status() == TaskStatus::CannotStart {
                        view! { <span>{label}</span> }.into_any()
                    } else {
                        view! { <A href=href>{label}</A> }.into_any()
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
                        <p class="hint">{t!(i18n, apply.saved_server)} " · " <A href="/order">{crate::messages::status_name(i18n, order.status)}</A></p>
                    }.into_any(),
                }}
                <h2>{t!(i18n, apply.tasks_title)}</h2>
                <ol class="task-list">
                    {task(Task::Instance, "/apply/instance", t_string!(i18n, fields.service_code).to_string())}
                    {task(Task::Subject, "/apply/subject", t_string!(i18n, apply.task_subject).to_string())}
                    {task(Task::Principal, "/apply/principal", t_string!(i18n, apply.task_principal).to_string())}
                    {task(Task::Websites, "/apply/websites", t_string!(i18n, apply.task_websites).to_string())}
                    {task(Task::Documents, "/apply/documents", t_string!(i18n, apply.task_documents).to_string())}
                    {task(Task::Review, "/apply/review", t_string!(i18n, apply.task_review).to_string())}
                </ol>
            }.into_any(),
        }}
    }
}
