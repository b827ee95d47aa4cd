//! People: the subject principal here; the same fields serve website principals.

use beian_rules::{Application, CertificateType, Person, SubjectType};
use leptos::prelude::*;

use crate::app::set_title;
use crate::components::{CheckboxField, SelectField, TextField};
use crate::i18n::*;
use crate::messages::cert_type_name;
use crate::pages::apply::{Task, task_fields};
use crate::pages::{StepNav, StepSummary};
use crate::state::{AppState, enum_value, parse_enum};

/// The fields of one person, read and written through `get` / `set` on the draft.
#[component]
pub fn PersonFields(
    #[prop(into)] prefix: String,
    get: Callback<Application, Option<Person>>,
    set: Callback<(Application, Person), Application>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let draft = state.draft;
    let person = Memo::new(move |_| get.run(draft.get()).unwrap_or_default());
    let update = move |field: String, change: Box<dyn FnOnce(&mut Person)>| {
        state.edit(&field, |d| {
            let mut p = get.run(d.clone()).unwrap_or_default();
            change(&mut p);
            *d = set.run((d.clone(), p));
        });
    };
    let organization = move || draft.get().subject.subject_type.is_some_and(SubjectType::is_organization);
    let text_prefix = prefix.clone();
    let text = move |name: &'static str, label: Signal<String>, read: fn(&Person) -> String, write: fn(&mut Person, String), hard: bool, optional: bool, kind: &'static str| {
        let path = format!("{text_prefix}.{name}");
        let field = path.clone();
        view! {
            <TextField path=path label=label value=Signal::derive(move || read(&person.get()))
                on_change=Callback::new(move |v: String| update(field.clone(), Box::new(move |p: &mut Person| write(p, v))))
                hard_format=hard optional=optional input_type=kind/>
        }
    };
    let text_valid = text.clone();
    let cert_path = format!("{prefix}.certificate_type");
    let cert_field = cert_path.clone();
    let long_path = format!("{prefix}.long_term");
    let long_field = long_path.clone();
    let legal_path = format!("{prefix}.is_legal_representative");
    let legal_field = legal_path.clone();
    view! {
        {text("name", Signal::derive(move || t_string!(i18n, fields.person_name).to_string()), |p| p.name.clone(), |p, v| p.name = v, false, false, "text")}
        <SelectField path=cert_path label=Signal::derive(move || t_string!(i18n, fields.certificate_type).to_string())
            options=Signal::derive(move || CertificateType::PERSONAL.iter().map(|c| (enum_value(c), cert_type_name(i18n, *c))).collect())
            value=Signal::derive(move || person.get().certificate_type.map(|c| enum_value(&c)).unwrap_or_default())
            on_change=Callback::new(move |v: String| update(cert_field.clone(), Box::new(move |p: &mut Person| p.certificate_type = parse_enum(&v))))/>
        {text("certificate_number", Signal::derive(move || t_string!(i18n, fields.certificate_number).to_string()),
            |p| p.certificate_number.clone(), |p, v| p.certificate_number = v, true, false, "text")}
        <CheckboxField path=long_path label=Signal::derive(move || t_string!(i18n, fields.long_term).to_string())
            checked=Signal::derive(move || person.get().long_term)
            on_change=Callback::new(move |v: bool| update(long_field.clone(), Box::new(move |p: &mut Person| p.long_term = v)))/>
        {move || (!person.get().long_term).then(|| text_valid("certificate_valid_until", Signal::derive(move || t_string!(i18n, fields.valid_until).to_string()),
            |p| p.certificate_valid_until.map(|d| d.to_string()).unwrap_or_default(),
            |p, v| p.certificate_valid_until = chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok(), false, false, "date"))}
        {text("mobile", Signal::derive(move || t_string!(i18n, fields.mobile).to_string()), |p| p.mobile.clone(), |p, v| p.mobile = v, true, false, "tel")}
        {text("emergency_mobile", Signal::derive(move || t_string!(i18n, fields.emergency_mobile).to_string()),
            |p| p.emergency_mobile.clone(), |p, v| p.emergency_mobile = v, true, true, "tel")}
        {text("office_phone", Signal::derive(move || t_string!(i18n, fields.office_phone).to_string()),
            |p| p.office_phone.clone(), |p, v| p.office_phone = v, true, true, "tel")}
        {text("email", Signal::derive(move || t_string!(i18n, fields.email).to_string()), |p| p.email.clone(), |p, v| p.email = v, true, false, "email")}
        {move || organization().then(|| {
            let legal_field = legal_field.clone();
            view! {
                <CheckboxField path=legal_path.clone() label=Signal::derive(move || t_string!(i18n, fields.legal_rep).to_string())
                    checked=Signal::derive(move || person.get().is_legal_representative)
                    on_change=Callback::new(move |v: bool| update(legal_field.clone(), Box::new(move |p: &mut Person| p.is_legal_representative = v)))/>
            }
        })}
    }
}

#[component]
pub fn PrincipalStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    Effect::new(move |_| set_title(t_string!(i18n, apply.task_principal).to_string()));
    // Never ask twice: an individual is his own principal.
    state.draft.update(|d| {
        if d.subject.subject_type == Some(SubjectType::Individual) {
            let p = &mut d.subject_principal;
            if p.name.is_empty() {
                p.name = d.subject.name.clone();
            }
            if p.certificate_number.is_empty() {
                p.certificate_number = d.subject.certificate_number.clone();
                p.certificate_type = d.subject.certificate_type;
            }
        }
    });
    let attempted = RwSignal::new(false);
    let fields = Signal::derive(move || task_fields(Task::Principal, &state.draft.get()));
    view! {
        <StepSummary fields=fields attempted=attempted/>
        <h1>{t!(i18n, apply.task_principal)}</h1>
        <PersonFields prefix="subject_principal"
            get=Callback::new(|a: Application| Some(a.subject_principal))
            set=Callback::new(|(mut a, p): (Application, Person)| { a.subject_principal = p; a })/>
        <StepNav fields=fields back="/apply/subject" next="/apply/websites" attempted=attempted/>
    }
}
