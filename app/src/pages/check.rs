//! The eligibility and path check: one question per page, ending in a result page that says
//! whether a filing is needed, which path applies and why, and what to prepare. The rules
//! crate decides, in the browser.

use beian_rules::eligibility::{Hosting, NeedQuestions, need_filing};
use beian_rules::path::{FiledWith, Intent, PathQuestions, determine_path};
use beian_rules::{Province, SubjectType};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::requirements::why;
use crate::components::{ErrorSummary, requirements_view, set_title};
use crate::i18n::*;
use crate::messages::{I18n, finding_text, path_name, province_name, subject_type_name};
use crate::state::{AppState, CheckAnswers, enum_value, parse_enum, today};

const STEPS: &[&str] = &["location", "hosting", "filed", "intent", "place", "result"];

/// A group of radio buttons for one question.
#[component]
fn Radios(
    #[prop(into)] name: String,
    #[prop(into)] legend: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("f-check-{name}-error");
    let first_id = format!("f-check-{name}");
    view! {
        <fieldset class="field" aria-describedby=move || error.get().map(|_| error_id.clone())>
            <legend class="question">{move || legend.get()}</legend>
            {
                let error_id = format!("f-check-{name}-error");
                move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })
            }
            <div class="radios">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, (v, words))| {
                            let id = if i == 0 { first_id.clone() } else { format!("f-check-{name}-{v}") };
                            let checked = value.get() == v;
                            let v2 = v.clone();
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name=name.clone() value=v.clone() prop:checked=checked
                                        on:change=move |_| on_change.run(v2.clone())/>
                                    <label for=id>{words}</label>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
    }
}

/// A question answered from a long list (the server's location): one `select`, mainland
/// provinces first, then the places outside the mainland.
#[component]
fn LocationQuestion(value: Signal<String>, on_change: Callback<String>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, hint_id) = ("f-check-location", "f-check-location-error", "f-check-location-hint");
    let options = move |mainland: bool| {
        Province::ALL
            .iter()
            .filter(move |p| p.is_mainland() == mainland)
            .map(|p| {
                let code = p.code();
                view! { <option value=code selected=move || value.get() == code>{province_name(i18n, *p)}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="question" for=id>{t!(i18n, check.location_q)}</label>
            <p class="hint" id=hint_id>{t!(i18n, check.location_hint)}</p>
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
            <select id=id name="location"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=move || if error.get().is_some() { format!("{hint_id} {error_id}") } else { hint_id.to_owned() }
                on:change=move |ev| on_change.run(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>"—"</option>
                <optgroup label=move || t_string!(i18n, check.group_mainland).to_string()>{options(true)}</optgroup>
                <optgroup label=move || t_string!(i18n, check.group_outside).to_string()>{options(false)}</optgroup>
            </select>
        </div>
    }
}

/// The words of a question, for "Choose an answer: …".
fn question_label(i18n: I18n, name: &str) -> String {
    match name {
        "location" => t_string!(i18n, check.location_q),
        "hosting" => t_string!(i18n, check.hosting_q),
        "e_commerce" => t_string!(i18n, check.ecommerce_q),
        "subject_filed" => t_string!(i18n, check.subject_filed_q),
        "domain_filed" => t_string!(i18n, check.domain_filed_q),
        "intent" => t_string!(i18n, check.intent_q),
        "province" => t_string!(i18n, check.province_label),
        _ => t_string!(i18n, check.subject_type_label),
    }
    .to_string()
}

#[component]
pub fn Check(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let step = Memo::new(move |_| params.with(|p| p.get("step").unwrap_or_else(|| "location".into())));
    let attempted = RwSignal::new(false);
    Effect::new(move |_| {
        step.track();
        attempted.set(false);
        set_title(t_string!(i18n, check.title).to_string());
    });
    let check = state.check;
    let navigate = use_navigate();

    // Which questions of this step are unanswered.
    let missing = move || -> Vec<&'static str> {
        let a = check.get();
        let need = |ok: bool, field: &'static str| (!ok).then_some(field);
        match step.get().as_str() {
            "location" => need(a.location.is_some(), "location").into_iter().collect(),
            "hosting" => [need(a.hosting.is_some(), "hosting"), need(a.e_commerce.is_some(), "e_commerce")].into_iter().flatten().collect(),
            "filed" => [need(a.subject_filed.is_some(), "subject_filed"), need(a.domain_filed.is_some(), "domain_filed")].into_iter().flatten().collect(),
            "intent" => need(a.intent.is_some(), "intent").into_iter().collect(),
            "place" => [need(a.province.is_some(), "province"), need(a.subject_type.is_some(), "subject_type")].into_iter().flatten().collect(),
            _ => Vec::new(),
        }
    };
    let choose = move |name: &str| t_string!(i18n, form.choose_answer).to_string().replace("{label}", &question_label(i18n, name));
    let errors = Signal::derive(move || {
        if !attempted.get() {
            return Vec::new();
        }
        missing().into_iter().map(|name| (format!("check.{name}"), choose(name))).collect::<Vec<_>>()
    });
    let error_for = move |field: &'static str| Signal::derive(move || errors.get().into_iter().find(|(f, _)| f == &format!("check.{field}")).map(|(_, text)| text));
    let next_step = move || {
        let a = check.get_untracked();
        let current = step.get_untracked();
        // Outside the mainland, or no website: straight to the answer.
        let outside = current == "location" && a.location.is_some_and(|p| !p.is_mainland());
        let app_only = current == "hosting" && a.hosting == Some(Hosting::AppOnly);
        if outside || app_only {
            return "result".to_owned();
        }
        let i = STEPS.iter().position(|s| *s == current).unwrap_or(0);
        STEPS.get(i + 1).copied().unwrap_or("result").to_owned()
    };
    let on_continue = move |_| {
        attempted.set(true);
        if missing().is_empty() {
            navigate(&format!("/check/{}", next_step()), Default::default());
        }
    };
    let set = move |f: fn(&mut CheckAnswers, &str)| Callback::new(move |v: String| check.update(|a| f(a, &v)));
    // A logged-in applicant's records answer what they know (again when the domain changes).
    let learn = move |domain: String| {
        check.update(|a| a.domain = domain.clone());
        if state.account.get_untracked().is_none() {
            return;
        }
        leptos::task::spawn_local(async move {
            match beian_api::filing_facts(domain).await {
                Ok(facts) => check.update(|a| {
                    if facts.subject_filed.is_some() {
                        a.subject_filed = facts.subject_filed;
                    }
                    if facts.domain_filed.is_some() {
                        a.domain_filed = facts.domain_filed;
                    } else if a.known.as_ref().is_some_and(|k| k.domain_filed.is_some()) {
                        // Known before for another domain: asked again for this one.
                        a.domain_filed = None;
                    }
                    a.known = Some(facts);
                }),
                Err(e) => state.report(e),
            }
        });
    };
    Effect::new(move |_| {
        if step.get() == "filed" && state.account.with(|a| a.as_ref().is_some_and(|a| a.role == "applicant")) {
            learn(check.get_untracked().domain);
        }
    });
    let yes_no = Signal::derive(move || vec![("yes".to_owned(), t_string!(i18n, form.yes).to_string()), ("no".to_owned(), t_string!(i18n, form.no).to_string())]);
    let bool_value = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }).unwrap_or("").to_owned();
    let filed_options = Signal::derive(move || {
        vec![
            ("nowhere".to_owned(), t_string!(i18n, check.filed_nowhere).to_string()),
            ("this_provider".to_owned(), t_string!(i18n, check.filed_this_provider).to_string()),
            ("other_provider".to_owned(), t_string!(i18n, check.filed_other_provider).to_string()),
        ]
    });

    let question = move || match step.get().as_str() {
        "location" => view! {
            <LocationQuestion value=Signal::derive(move || check.get().location.map(|p| p.code().to_owned()).unwrap_or_default())
                on_change=set(|a, v| a.location = Province::parse(v)) error=error_for("location")/>
        }
        .into_any(),
        "hosting" => view! {
            <Radios name="hosting" legend=Signal::derive(move || t_string!(i18n, check.hosting_q).to_string())
                options=Signal::derive(move || vec![
                    ("provider_server".to_owned(), t_string!(i18n, check.hosting_provider_server).to_string()),
                    ("own_server".to_owned(), t_string!(i18n, check.hosting_own_server).to_string()),
                    ("object_storage_only".to_owned(), t_string!(i18n, check.hosting_object_storage_only).to_string()),
                    ("cdn_only".to_owned(), t_string!(i18n, check.hosting_cdn_only).to_string()),
                    ("app_only".to_owned(), t_string!(i18n, check.hosting_app_only).to_string()),
                ])
                value=Signal::derive(move || check.get().hosting.map(|h| enum_value(&h)).unwrap_or_default())
                on_change=set(|a, v| a.hosting = parse_enum(v)) error=error_for("hosting")/>
            <Radios name="e_commerce" legend=Signal::derive(move || t_string!(i18n, check.ecommerce_q).to_string())
                options=yes_no value=Signal::derive(move || bool_value(check.get().e_commerce))
                on_change=set(|a, v| a.e_commerce = Some(v == "yes")) error=error_for("e_commerce")/>
        }
        .into_any(),
        "filed" => {
            // What the account's records know is not asked: the entity filed here, a domain of
            // one of its websites.
            let known = move || check.get().known.unwrap_or_default();
            view! {
                {move || state.account.get().is_some().then(|| view! {
                    <div class="field">
                        <label for="check-domain">{t!(i18n, check.domain_label)}</label>
                        <p class="hint">{t!(i18n, check.domain_hint)}</p>
                        <input id="check-domain" type="text" class="input" prop:value=move || check.get().domain
                            on:change=move |ev| learn(event_target_value(&ev))/>
                    </div>
                })}
                {move || match known().subject_icp_number {
                    Some(number) => view! { <p class="notice" data-testid="known-subject">{t_string!(i18n, check.known_subject).to_string().replace("{number}", &number)}</p> }.into_any(),
                    None => view! {
                        <Radios name="subject_filed" legend=Signal::derive(move || t_string!(i18n, check.subject_filed_q).to_string())
                            options=filed_options value=Signal::derive(move || check.get().subject_filed.map(|f| enum_value(&f)).unwrap_or_default())
                            on_change=set(|a, v| a.subject_filed = parse_enum(v)) error=error_for("subject_filed")/>
                    }.into_any(),
                }}
                {move || match known().domain_filed {
                    Some(_) => view! { <p class="notice" data-testid="known-domain">{t!(i18n, check.known_domain)}</p> }.into_any(),
                    None => view! {
                        <Radios name="domain_filed" legend=Signal::derive(move || t_string!(i18n, check.domain_filed_q).to_string())
                            options=filed_options value=Signal::derive(move || check.get().domain_filed.map(|f| enum_value(&f)).unwrap_or_default())
                            on_change=set(|a, v| a.domain_filed = parse_enum(v)) error=error_for("domain_filed")/>
                    }.into_any(),
                }}
            }
            .into_any()
        }
        "intent" => view! {
            <Radios name="intent" legend=Signal::derive(move || t_string!(i18n, check.intent_q).to_string())
                options=Signal::derive(move || vec![
                    ("host_website".to_owned(), t_string!(i18n, check.intent_host_website).to_string()),
                    ("move_between_own_servers".to_owned(), t_string!(i18n, check.intent_move_between_own_servers).to_string()),
                    ("change_information".to_owned(), t_string!(i18n, check.intent_change_information).to_string()),
                    ("cancel_website".to_owned(), t_string!(i18n, check.intent_cancel_website).to_string()),
                    ("cancel_subject".to_owned(), t_string!(i18n, check.intent_cancel_subject).to_string()),
                    ("cancel_transfer".to_owned(), t_string!(i18n, check.intent_cancel_transfer).to_string()),
                ])
                value=Signal::derive(move || check.get().intent.map(|f| enum_value(&f)).unwrap_or_default())
                on_change=set(|a, v| a.intent = parse_enum(v)) error=error_for("intent")/>
            {move || (check.get().domain_filed == Some(FiledWith::ThisProvider)).then(|| view! {
                <Radios name="hichina" legend=Signal::derive(move || t_string!(i18n, check.hichina_q).to_string())
                    options=yes_no value=Signal::derive(move || bool_value(check.get().hichina))
                    on_change=set(|a, v| a.hichina = Some(v == "yes")) error=Signal::derive(|| None::<String>)/>
            })}
        }
        .into_any(),
        "place" => view! {
            <Radios name="province" legend=Signal::derive(move || t_string!(i18n, check.province_label).to_string())
                options=Signal::derive(move || Province::mainland().map(|p| (p.code().to_owned(), province_name(i18n, p))).collect())
                value=Signal::derive(move || check.get().province.map(|p| p.code().to_owned()).unwrap_or_default())
                on_change=set(|a, v| a.province = Province::parse(v)) error=error_for("province")/>
            <Radios name="subject_type" legend=Signal::derive(move || t_string!(i18n, check.subject_type_label).to_string())
                options=Signal::derive(move || SubjectType::ALL.iter().map(|s| (enum_value(s), subject_type_name(i18n, *s))).collect())
                value=Signal::derive(move || check.get().subject_type.map(|s| enum_value(&s)).unwrap_or_default())
                on_change=set(|a, v| a.subject_type = parse_enum(v)) error=error_for("subject_type")/>
        }
        .into_any(),
        _ => view! { <CheckResult state=state/> }.into_any(),
    };
    let is_result = move || step.get() == "result";
    view! {
        <ErrorSummary errors=errors/>
        <h1>{move || if is_result() { t_string!(i18n, check.result_title).to_string() } else { t_string!(i18n, check.title).to_string() }}</h1>
        {question}
        {move || (!is_result()).then(|| view! {
            <div class="step-nav">
                <button type="button" class="button" on:click=on_continue.clone()>{t!(i18n, form.continue_button)}</button>
            </div>
        })}
    }
}

/// The answer: not needed and why, or the path, its blockers and what to prepare. Drawn
/// again when the language changes.
#[component]
fn CheckResult(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        i18n.get_locale();
        result_view(state)
    }
}

fn result_view(state: AppState) -> AnyView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let answers = state.check.get_untracked();
    let need = need_filing(NeedQuestions {
        location: answers.location.unwrap_or(Province::Overseas),
        hosting: answers.hosting.unwrap_or(Hosting::ProviderServer),
        e_commerce: answers.e_commerce.unwrap_or(false),
    }, today());
    // No filing, or an app with no website: the answer is the need check's, with its source
    // (the App filing rule, since 2023-09-01); there is no website order to prepare here.
    let app_only = answers.hosting == Some(Hosting::AppOnly);
    if !need.filing_needed || app_only {
        let reason = finding_text(i18n, &need.reason);
        let rule = need.reason.rule.clone();
        let title = if need.filing_needed { t_string!(i18n, check.needed).to_string() } else { t_string!(i18n, check.not_needed).to_string() };
        return view! {
            <div class="panel panel--result" data-testid="check-result">
                <h2>{title}</h2>
                <p>{reason}</p>
                {rule.map(|r| why(i18n, &r))}
            </div>
            <p><a href="/check/location">{t!(i18n, check.again)}</a></p>
        }
        .into_any();
    }
    let answer = determine_path(PathQuestions {
        server_location: answers.location.unwrap_or(Province::Overseas),
        subject_filed: answers.subject_filed.unwrap_or(FiledWith::Nowhere),
        domain_filed: answers.domain_filed.unwrap_or(FiledWith::Nowhere),
        intent: answers.intent.unwrap_or(Intent::HostWebsite),
        hichina_before_june_2010: answers.hichina.unwrap_or(false),
        open_order: state.order.with_untracked(|o| o.as_ref().is_some_and(|o| o.status.is_open())),
        also_change: false,
        subject_first_filing_pending_elsewhere: false,
        domain_filed_by_other_subject: false,
        also_new_websites: false,
        subject_empty_shell: answers.known.as_ref().is_some_and(|k| k.subject_empty_shell),
        subject_province: answers.province,
        hosting: answers.hosting,
        hichina_platform_filing: false,
        subject_in_other_account: false,
    }, today());
    let path = answer.path;
    let province = answers.province.unwrap_or(Province::Beijing);
    let subject = answers.subject_type.unwrap_or(SubjectType::Individual);
    let reason = finding_text(i18n, &answer.reason);
    let blockers: Vec<String> = answer.blockers.iter().map(|b| finding_text(i18n, b)).collect();
    let license = need.commercial_license.as_ref().map(|f| finding_text(i18n, f));
    let can_start = path.has_order() && answer.blockers.is_empty();
    let start = move |_| {
        state.draft.update(|d| {
            d.path = Some(path);
            d.province = Some(province);
            if d.subject.subject_type != Some(subject) {
                d.subject.subject_type = Some(subject);
                d.subject.certificate_type = subject.certificate_types().first().copied();
            }
        });
        navigate("/apply", Default::default());
    };
    view! {
        <div class="panel panel--result" data-testid="check-result">
            <h2>{if path.has_order() { t_string!(i18n, check.needed).to_string() } else { path_name(i18n, path) }}</h2>
            <p><strong>{t!(i18n, check.path_is)}</strong><span data-testid="path">{path_name(i18n, path)}</span></p>
            <p>{reason}</p>
            {license.map(|l| view! { <p class="notice">{l}</p> })}
        </div>
        {(!blockers.is_empty()).then(|| view! {
            <h2>{t!(i18n, check.blockers_title)}</h2>
            <ul>{blockers.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
        })}
        {path.has_order().then(|| view! {
            <h2>{t!(i18n, check.prepare_title)}</h2>
            {requirements_view(province, subject, path)}
        })}
        <p class="actions">
            {can_start.then(|| view! { <button type="button" class="button" on:click=start.clone()>{t!(i18n, check.start_filing)}</button> " " })}
            <a href="/check/location">{t!(i18n, check.again)}</a>
        </p>
    }
    .into_any()
}
