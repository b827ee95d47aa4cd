//! Verify the instance: the service code that ties the filing to an eligible instance.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::set_title;
use crate::components::TextField;
use crate::i18n::*;
use crate::pages::apply::{Task, task_fields};
use crate::pages::{StepNav, StepSummary};
use crate::state::AppState;

#[component]
pub fn InstanceStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    Effect::new(move |_| set_title(t_string!(i18n, fields.service_code).to_string()));
    let attempted = RwSignal::new(false);
    let fields = Signal::derive(move || task_fields(Task::Instance, &state.draft.get()));
    view! {
        <StepSummary fields=fields attempted=attempted/>
        <h1>{t!(i18n, fields.service_code)}</h1>
        <p><A href="/instances">{t!(i18n, instances.title)}</A></p>
        <TextField path="service_code" label=Signal::derive(move || t_string!(i18n, fields.service_code).to_string())
            hint=Signal::derive(move || t_string!(i18n, fields.service_code_hint).to_string())
            value=Signal::derive(move || state.draft.get().service_code(0).to_owned())
            on_change=Callback::new(move |v: String| state.edit("service_code", |d| d.set_service_code(0, v.trim().to_owned())))
            hard_format=true/>
        <StepNav fields=fields back="/apply" next="/apply/subject" attempted=attempted/>
    }
}
