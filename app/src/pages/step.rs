//! One step of the filing wizard, drawn from its description in [`crate::wizard`]: the error
//! summary, the title, its sections, Back and Continue. Continue shows every message of the
//! step's fields; with errors it shows the summary, else it saves and goes to the next step.

use beian_rules::FilingPath;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{ErrorSummary, Field, Problem, requirements_view, set_title};
use crate::i18n::*;
use crate::pages::cancel::CancelSection;
use crate::pages::documents::DocumentsSection;
use crate::pages::websites::WebsitesSection;
use crate::state::AppState;
use crate::wizard::{self, FieldSpec, Group, Placed, Section, StepId, field_message};

/// The error summary of a step: the reviewer's reasons on its fields from the start, and
/// every error of its fields once Continue was pressed.
pub fn step_problems(state: AppState, fields: Signal<Vec<String>>, attempted: RwSignal<bool>) -> Signal<Vec<Problem>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let tried = attempted.get();
        state
            .errors_in(&fields.get())
            .into_iter()
            .filter(|f| tried || beian_rules::lifecycle::is_reason(f.code))
            .map(|f| (f.field.clone(), field_message(i18n, &f)))
            .collect()
    })
}

/// The fields of a section; each is drawn once and shows or hides itself (the investor of
/// an organisation), leaving the others as they are.
pub fn section_fields(state: AppState, section: &'static Section) -> impl IntoView {
    let group = match section {
        Section::Fields(prefix, specs) => Some((Group::Prefix(*prefix), *specs)),
        Section::Person(prefix) => Some((Group::Prefix(*prefix), wizard::PERSON)),
        _ => None,
    };
    group.map(|(group, specs)| group_view(state, group, specs))
}

/// The fields of `specs` in `group`, each shown while its description says so.
pub fn group_view(state: AppState, group: Group, specs: &'static [FieldSpec]) -> impl IntoView {
    specs
        .iter()
        .map(|spec| {
            let placed = Placed { spec, group };
            let shown = Memo::new(move |_| state.draft.with(|d| (spec.shown)(d, &group.path())));
            move || shown.get().then(|| view! { <Field state=state placed=placed/> })
        })
        .collect_view()
}

#[component]
pub fn StepPage(state: AppState, id: StepId) -> impl IntoView {
    let i18n = use_i18n();
    let step = wizard::step(id);
    Effect::new(move |_| set_title((step.title)(i18n.get_locale())));
    if let Some(open) = step.on_open {
        state.draft.update(open);
    }
    let attempted = RwSignal::new(false);
    let fields = Signal::derive(move || state.draft.with(|d| wizard::step_fields(id, d)));
    let (back, next) = wizard::neighbours(id, state.draft.get_untracked().path);
    let navigate = leptos_router::hooks::use_navigate();
    let on_continue = move |_| {
        let fields = fields.get_untracked();
        state.show(&fields);
        attempted.set(true);
        state.save_to_server();
        if state.errors_in(&fields).is_empty() {
            navigate(next, Default::default());
        }
    };
    let sections = step
        .sections
        .iter()
        .map(|section| match section {
            Section::Fields(..) | Section::Person(_) => section_fields(state, section).into_any(),
            Section::Requirements => requirements_panel(state).into_any(),
            Section::InstancesLink => view! { <p><A href="/instances">{t!(i18n, instances.title)}</A></p> }.into_any(),
            Section::Websites => view! { <WebsitesSection state=state/> }.into_any(),
            Section::Documents => view! { <DocumentsSection state=state/> }.into_any(),
            Section::Cancel => view! { <CancelSection state=state/> }.into_any(),
        })
        .collect_view();
    view! {
        <ErrorSummary errors=step_problems(state, fields, attempted)/>
        <h1>{move || (step.title)(i18n.get_locale())}</h1>
        {sections}
        <div class="step-nav">
            <button type="button" class="button" on:click=on_continue>{t!(i18n, form.continue_button)}</button>
            <a class="back" href=back>{t!(i18n, form.back)}</a>
        </div>
    }
}

/// Province and subject type decide what the filing needs: shown as soon as both are known.
fn requirements_panel(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let place = Memo::new(move |_| state.draft.with(|d| (d.province, d.subject.subject_type, d.path)));
    move || {
        i18n.get_locale();
        let (province, subject, path) = place.get();
        province.zip(subject).map(|(province, subject)| {
            view! {
                <section class="panel panel--requirements" aria-labelledby="province-rules" data-testid="province-requirements">
                    <h2 id="province-rules">{t!(i18n, check.province_rules_title)}</h2>
                    {requirements_view(province, subject, path.unwrap_or(FilingPath::FirstFiling))}
                </section>
            }
        })
    }
}
