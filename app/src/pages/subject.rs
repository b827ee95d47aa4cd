//! The subject (主办单位): province, type, name, certificate, addresses, investor.

use beian_rules::{CertificateType, FilingPath, Province, SubjectType};
use leptos::prelude::*;

use crate::app::set_title;
use crate::components::{SelectField, TextField, requirements_view};
use crate::i18n::*;
use crate::messages::{cert_type_name, province_name, subject_type_name};
use crate::pages::apply::{Task, task_fields};
use crate::pages::{StepNav, StepSummary};
use crate::state::{AppState, enum_value, parse_enum};

#[component]
pub fn SubjectStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let draft = state.draft;
    Effect::new(move |_| set_title(t_string!(i18n, apply.task_subject).to_string()));
    // A subject type chosen in the check brings its usual certificate type.
    if draft.with_untracked(|d| d.subject.certificate_type.is_none()) {
        draft.update(|d| d.subject.certificate_type = d.subject.subject_type.and_then(|t| t.certificate_types().first().copied()));
    }
    let attempted = RwSignal::new(false);
    let fields = Signal::derive(move || task_fields(Task::Subject, &draft.get()));
    // Province and subject type decide what the filing needs: shown as soon as both are known.
    let place = Memo::new(move |_| draft.with(|d| (d.province, d.subject.subject_type, d.path)));
    let organization = move || draft.get().subject.subject_type.is_some_and(SubjectType::is_organization);
    let text = move |path: &'static str, label: Signal<String>, get: fn(&beian_rules::Application) -> String, set: fn(&mut beian_rules::Application, String), hard: bool| {
        view! {
            <TextField path=path label=label value=Signal::derive(move || get(&draft.get()))
                on_change=Callback::new(move |v: String| state.edit(path, |d| set(d, v))) hard_format=hard/>
        }
    };
    view! {
        <StepSummary fields=fields attempted=attempted/>
        <h1>{t!(i18n, apply.task_subject)}</h1>
        <SelectField path="province" label=Signal::derive(move || t_string!(i18n, fields.province).to_string())
            options=Signal::derive(move || Province::mainland().map(|p| (p.code().to_owned(), province_name(i18n, p))).collect())
            value=Signal::derive(move || draft.get().province.map(|p| p.code().to_owned()).unwrap_or_default())
            on_change=Callback::new(move |v: String| state.edit("province", |d| d.province = Province::parse(&v)))/>
        <SelectField path="subject.subject_type" label=Signal::derive(move || t_string!(i18n, fields.subject_type).to_string())
            options=Signal::derive(move || SubjectType::ALL.iter().map(|s| (enum_value(s), subject_type_name(i18n, *s))).collect())
            value=Signal::derive(move || draft.get().subject.subject_type.map(|s| enum_value(&s)).unwrap_or_default())
            on_change=Callback::new(move |v: String| state.edit("subject.subject_type", |d| {
                d.subject.subject_type = parse_enum(&v);
                // One certificate type fits organisations; individuals start with the ID card.
                d.subject.certificate_type = d.subject.subject_type.and_then(|t| t.certificate_types().first().copied());
            }))/>
        {move || {
            i18n.get_locale();
            let (province, subject, path) = place.get();
            province.zip(subject).map(|(province, subject)| view! {
                <section class="panel panel--requirements" aria-labelledby="province-rules" data-testid="province-requirements">
                    <h2 id="province-rules">{t!(i18n, check.province_rules_title)}</h2>
                    {requirements_view(province, subject, path.unwrap_or(FilingPath::FirstFiling))}
                </section>
            })
        }}
        <TextField path="subject.name" label=Signal::derive(move || t_string!(i18n, fields.subject_name).to_string())
            hint=Signal::derive(move || t_string!(i18n, fields.subject_name_hint).to_string())
            value=Signal::derive(move || draft.get().subject.name)
            on_change=Callback::new(move |v: String| state.edit("subject.name", |d| d.subject.name = v))/>
        <SelectField path="subject.certificate_type" label=Signal::derive(move || t_string!(i18n, fields.certificate_type).to_string())
            options=Signal::derive(move || {
                let types: &[CertificateType] = draft.get().subject.subject_type.map(SubjectType::certificate_types).unwrap_or(&[]);
                types.iter().map(|c| (enum_value(c), cert_type_name(i18n, *c))).collect()
            })
            value=Signal::derive(move || draft.get().subject.certificate_type.map(|c| enum_value(&c)).unwrap_or_default())
            on_change=Callback::new(move |v: String| state.edit("subject.certificate_type", |d| d.subject.certificate_type = parse_enum(&v)))/>
        {text("subject.certificate_number", Signal::derive(move || t_string!(i18n, fields.certificate_number).to_string()),
            |a| a.subject.certificate_number.clone(), |d, v| d.subject.certificate_number = v, true)}
        {text("subject.certificate_address", Signal::derive(move || t_string!(i18n, fields.certificate_address).to_string()),
            |a| a.subject.certificate_address.clone(), |d, v| d.subject.certificate_address = v, false)}
        <TextField path="subject.mailing_address" label=Signal::derive(move || t_string!(i18n, fields.mailing_address).to_string())
            hint=Signal::derive(move || t_string!(i18n, fields.mailing_hint).to_string())
            value=Signal::derive(move || draft.get().subject.mailing_address)
            on_change=Callback::new(move |v: String| state.edit("subject.mailing_address", |d| d.subject.mailing_address = v))/>
        {move || organization().then(|| text("subject.investor", Signal::derive(move || t_string!(i18n, fields.investor).to_string()),
            |a| a.subject.investor.clone(), |d, v| d.subject.investor = v, false))}
        <StepNav fields=fields back="/apply/instance" next="/apply/principal" attempted=attempted/>
    }
}
