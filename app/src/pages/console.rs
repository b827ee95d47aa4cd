//! The reviewer console (`/review`, provider staff only): the queue as a table with filters
//! and deadlines (overdue said in words), and an order's page that reads like
//! check-your-answers with the server's own findings beside each answer, the documents
//! inline, what changed since the last return marked, the timeline, and the reviewer's
//! actions — returning with reasons on fields (previewed in both languages), approving,
//! identity verification, submitting to the administration, recording its decision.

use beian_api::{QueueFilter, QueueItem, ReasonInput, ReviewView};
use beian_rules::lifecycle::{Action, REJECTION_REASONS};
use beian_rules::{Application, Code, FilingPath, Finding, Province};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::field::dom_id;
use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{I18n, action_name, code_text, document_name, path_name, province_name, status_name};
use crate::pages::order::when;
use crate::state::{AppState, enum_value, parse_enum};
use crate::wizard::{self, Group, Placed, Section, StepId, answer_text, field_message};

/// Only reviewers: anyone else is told so.
fn reviewer_only(state: AppState) -> bool {
    state.account.with(|a| a.as_ref().is_some_and(|a| a.role == "reviewer"))
}

#[component]
fn NotForYou() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice" role="status">{t!(i18n, console.reviewers_only)}</p> }
}

/// A select of choices by wire name, "any" first.
fn filter_select(i18n: I18n, id: &'static str, label: String, options: Vec<(String, String)>, on: impl Fn(String) + 'static) -> impl IntoView {
    view! {
        <div class="field field--inline">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on(event_target_value(&ev))>
                <option value="">{t!(i18n, console.any)}</option>
                {options.into_iter().map(|(v, w)| view! { <option value=v>{w}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn Queue(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, console.title).to_string()));
    let filter = RwSignal::new(QueueFilter::default());
    let queue = LocalResource::new(move || {
        let f = filter.get();
        async move { beian_api::review_queue(f).await.map_err(|e| state.report(e)).ok() }
    });
    let statuses: Vec<(String, String)> = beian_rules::lifecycle::IN_QUEUE
        .iter()
    .map(|s| (enum_value(s), status_name(i18n, *s)))
    .collect();
    let provinces: Vec<(String, String)> = Province::mainland().map(|p| (p.code().to_owned(), province_name(i18n, p))).collect();
    let paths: Vec<(String, String)> = FilingPath::ALL.iter().filter(|p| p.has_order()).map(|p| (enum_value(p), path_name(i18n, *p))).collect();
    let waits: Vec<(String, String)> = [4u32, 24, 72].iter().map(|h| (h.to_string(), t_string!(i18n, console.waiting_at_least).to_string().replace("{hours}", &h.to_string()))).collect();
    let rows = move || {
        queue.get().flatten().map(|items: Vec<QueueItem>| {
            if items.is_empty() {
                return view! { <tr><td colspan="7">{t!(i18n, console.queue_empty)}</td></tr> }.into_any();
            }
            items
                .into_iter()
                .map(|item| {
                    let href = format!("/review/{}", item.order_id);
                    let deadline = item.deadline.map(|d| crate::messages::when_text(i18n.get_locale(), &d.to_string())).unwrap_or_default();
                    let waiting = t_string!(i18n, console.hours).to_string().replace("{hours}", &item.waiting_hours.to_string());
                    let name = if item.subject_name.is_empty() { item.applicant.clone() } else { item.subject_name.clone() };
                    view! {
                        <tr data-testid="queue-row" class:overdue=item.overdue>
                            <td><A href=href>{name}</A></td>
                            <td>{status_name(i18n, item.status)}</td>
                            <td>{item.province.map(|p| province_name(i18n, p)).unwrap_or_default()}</td>
                            <td>{path_name(i18n, item.path)}</td>
                            <td>{item.applicant.clone()}</td>
                            <td>{waiting}</td>
                            <td>{deadline} {item.overdue.then(|| view! { " " <strong class="tag tag--no">{t!(i18n, console.overdue)}</strong> })}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <h1>{t!(i18n, console.title)}</h1>
        {move || if reviewer_only(state) {
            view! {
                <div class="filters" role="group" aria-label=move || t_string!(i18n, console.filters).to_string()>
                    {filter_select(i18n, "f-queue-status", t_string!(i18n, order.status_label).to_string(), statuses.clone(), move |v| filter.update(|f| {
                        f.status = parse_enum(&v);
                        f.include_returned = f.status.is_some();
                    }))}
                    {filter_select(i18n, "f-queue-province", t_string!(i18n, fields.province).to_string(), provinces.clone(), move |v| filter.update(|f| f.province = Province::parse(&v)))}
                    {filter_select(i18n, "f-queue-path", t_string!(i18n, check.path_label).to_string(), paths.clone(), move |v| filter.update(|f| f.path = parse_enum(&v)))}
                    {filter_select(i18n, "f-queue-waiting", t_string!(i18n, console.waiting).to_string(), waits.clone(), move |v| filter.update(|f| f.waiting_hours = v.parse().ok()))}
                </div>
                <table class="queue" data-testid="queue">
                    <caption class="visually-hidden">{t!(i18n, console.queue_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, console.entity)}</th>
                        <th scope="col">{t!(i18n, order.status_label)}</th>
                        <th scope="col">{t!(i18n, fields.province)}</th>
                        <th scope="col">{t!(i18n, check.path_label)}</th>
                        <th scope="col">{t!(i18n, console.applicant)}</th>
                        <th scope="col">{t!(i18n, console.waiting)}</th>
                        <th scope="col">{t!(i18n, console.deadline)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        } else {
            view! { <NotForYou/> }.into_any()
        }}
    }
}

/// The answers of one step, each with the server's findings beside it and "changed since the
/// last return" marked.
fn answers(i18n: I18n, app: &Application, findings: &[Finding], before: Option<&Application>, id: StepId) -> impl IntoView + use<> {
    let step = wizard::step(id);
    let mut placed: Vec<Placed> = Vec::new();
    for section in step.sections {
        match section {
            Section::Websites | Section::Cancel => {
                for (i, w) in app.websites.iter().enumerate() {
                    placed.extend(wizard::group_fields(Group::Website(i), wizard::WEBSITE, app));
                    if w.principal.is_some() {
                        placed.extend(wizard::group_fields(Group::WebsitePrincipal(i), wizard::PERSON, app));
                    }
                }
            }
            _ => placed.extend(wizard::placed(section, app)),
        }
    }
    let rows = placed
        .into_iter()
        .map(|p| {
            let path = p.path();
            let value = answer_text(i18n, p.spec.widget, app.field(&path));
            let changed = before.is_some_and(|b| b.field(&path) != app.field(&path));
            let label = wizard::field_label(i18n.get_locale(), &path).unwrap_or_else(|| (p.spec.label)(i18n.get_locale()));
            let here: Vec<String> = findings.iter().filter(|f| f.field == path).map(|f| field_message(i18n, f)).collect();
            view! {
                <div class="summary-row" id=dom_id(&path)>
                    <dt>{label}</dt>
                    <dd>{value} {changed.then(|| view! { " " <strong class="tag" data-testid="changed">{t!(i18n, console.changed)}</strong> })}</dd>
                    <dd>{here.into_iter().map(|h| view! { <p class="field-warning">{h}</p> }).collect_view()}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <h2>{(step.title)(i18n.get_locale())}</h2>
        <dl class="summary-list">{rows}</dl>
    }
}

/// Every field path of the answers, for the reasons' field list.
fn field_paths(app: &Application) -> Vec<String> {
    let mut out = vec![String::new()];
    for step in wizard::steps_for(app.path) {
        out.extend(wizard::step_fields(step.id, app).into_iter().filter(|f| f.contains('.') || f == "province" || f == "documents"));
    }
    out.dedup();
    out
}

/// Words for a field path in `locale` (for the preview in both languages).
fn field_label_in(locale: Locale, path: &str) -> String {
    if path.is_empty() {
        return td_string!(locale, console.whole_filing).to_string();
    }
    if path == "documents" {
        return td_string!(locale, apply.task_documents).to_string();
    }
    if let Some(label) = wizard::field_label(locale, path) {
        return label;
    }
    match wizard::website_index(path) {
        Some(i) => td_string!(locale, console.website_n).to_string().replace("{n}", &(i + 1).to_string()),
        None => path.to_owned(),
    }
}

/// Words for a field path: its label, with its website.
fn field_label(i18n: I18n, path: &str) -> String {
    field_label_in(i18n.get_locale(), path)
}

/// The reasons being written, and their preview in both languages.
#[component]
///
/// The reasons live in the order's page (`reasons`), not here: switching the language or
/// reloading the order's data draws this form again, and what the reviewer wrote stays.
fn ReturnForm(state: AppState, order_id: String, app: Application, action: Action, reasons: RwSignal<Vec<ReasonInput>>, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let fields = field_paths(&app);
    let preview = move |zh: bool| {
        reasons.get().into_iter().map(move |r| {
            let mut f = Finding::error(r.code).at(r.field.as_str());
            if !r.note.trim().is_empty() {
                f = f.with("note", r.note.trim());
            }
            let locale = if zh { Locale::zh_CN } else { Locale::en };
            let words = crate::messages::with_note(locale, crate::messages::reason_text_in(locale, f.code), &f);
            td_string!(locale, form.field_problem).to_string().replace("{field}", &field_label_in(locale, &f.field)).replace("{message}", &words)
        }).collect::<Vec<_>>()
    };
    let send = move |_| {
        let list = reasons.get_untracked();
        let id = order_id.clone();
        leptos::task::spawn_local(async move {
            match beian_api::review_act(id, action, list, None).await {
                Ok(_) => {
                    reasons.set(vec![blank_reason()]);
                    reload.update(|n| *n += 1);
                }
                Err(e) => state.report(e),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="return-title" data-testid="return-form">
            <h2 id="return-title">{t!(i18n, console.return_title)}</h2>
            // Drawn again only when a reason is added: typing keeps the focus where it is.
            {move || (0..reasons.with(Vec::len)).map(|i| {
                let r = reasons.with_untracked(|all| all.get(i).cloned()).unwrap_or_else(blank_reason);
                let fields = fields.clone();
                let field_id = format!("f-reason-{i}-field");
                let code_id = format!("f-reason-{i}-code");
                let note_id = format!("f-reason-{i}-note");
                view! {
                    <fieldset class="reason">
                        <legend>{t!(i18n, console.reason_n, n = move || i + 1)}</legend>
                        <div class="field">
                            <label for=field_id.clone()>{t!(i18n, console.reason_field)}</label>
                            <select id=field_id on:change=move |ev| { let v = event_target_value(&ev); reasons.update(|all| if let Some(x) = all.get_mut(i) { x.field = v; }) }>
                                {fields.into_iter().map(|f| { let selected = f == r.field; let words = field_label(i18n, &f); view! { <option value=f selected=selected>{words}</option> } }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=code_id.clone()>{t!(i18n, console.reason_code)}</label>
                            <select id=code_id on:change=move |ev| { let v = event_target_value(&ev); reasons.update(|all| if let (Some(x), Some(c)) = (all.get_mut(i), Code::parse(&v)) { x.code = c; }) }>
                                {REJECTION_REASONS.iter().map(|c| { let selected = *c == r.code; view! { <option value=c.as_str() selected=selected>{code_text(i18n, *c)}</option> } }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=note_id.clone()>{t!(i18n, console.reason_note)} " " <span class="optional">{t!(i18n, form.optional)}</span></label>
                            <input id=note_id type="text" maxlength="500" prop:value=r.note.clone() on:input=move |ev| { let v = event_target_value(&ev); reasons.update(|all| if let Some(x) = all.get_mut(i) { x.note = v; }) }/>
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <p><button type="button" class="link-button" on:click=move |_| reasons.update(|all| all.push(blank_reason()))>{t!(i18n, console.add_reason)}</button></p>
            <h3>{t!(i18n, console.preview)}</h3>
            <div class="preview" data-testid="preview">
                <ul lang="zh-CN">{move || preview(true).into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                <ul lang="en">{move || preview(false).into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
            <p><button type="button" class="button button--warning" data-testid="send-return" on:click=send>{t!(i18n, console.send_return)}</button></p>
        </section>
    }
}

/// A reason not yet written: on the whole filing, "other".
fn blank_reason() -> ReasonInput {
    ReasonInput { field: String::new(), code: Code::ReviewOther, note: String::new() }
}

/// The administration's numbers, recorded by hand (`subject` lives in the order's page).
#[component]
fn NumbersForm(state: AppState, order_id: String, sites: usize, subject: RwSignal<String>, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let send = move |_| {
        let s = subject.get_untracked().trim().to_owned();
        let numbers = beian_api::NumbersInput { websites: (1..=sites).map(|n| format!("{s}-{n}")).collect(), subject: s };
        let id = order_id.clone();
        leptos::task::spawn_local(async move {
            match beian_api::review_act(id, Action::AuthorityApprove, Vec::new(), Some(numbers)).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => state.report(e),
            }
        });
    };
    view! {
        <div class="field">
            <label for="f-numbers-subject">{t!(i18n, console.numbers)}</label>
            <p class="hint" id="f-numbers-subject-hint">{t!(i18n, console.numbers_hint)}</p>
            <input id="f-numbers-subject" type="text" aria-describedby="f-numbers-subject-hint" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev))/>
        </div>
        <p><button type="button" class="button" on:click=send>{t!(i18n, console.record_approval)}</button></p>
    }
}

#[component]
pub fn ReviewOrder(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, console.order_title).to_string()));
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0u32);
    // What the reviewer writes, kept across redraws (a language switch, a reload of the data).
    let reasons = RwSignal::new(vec![blank_reason()]);
    let numbers = RwSignal::new(String::new());
    let page = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        async move { beian_api::review_order(id).await.map_err(|e| state.report(e)).ok() }
    });
    let run = move |action: Action| {
        let id = id.get_untracked();
        leptos::task::spawn_local(async move {
            match beian_api::review_act(id, action, Vec::new(), None).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => state.report(e),
            }
        });
    };
    let content = move || {
        page.get().flatten().map(|view: ReviewView| {
            let app = view.order.application.clone();
            let before = view.rejected_answers.clone();
            let findings = view.findings.clone();
            let can = |a: Action| view.actions.contains(&a);
            let simple: Vec<Action> = [Action::ProviderApprove, Action::AcceptIdentity, Action::SubmitToAuthority, Action::ConfirmSms]
                .into_iter()
                .filter(|a| can(*a))
                .collect();
            let returning = [Action::ProviderReject, Action::RejectIdentity, Action::AuthorityReject].into_iter().find(|a| can(*a));
            let deciding = can(Action::AuthorityApprove);
            let order_id = view.order.id.clone();
            let sites = app.websites.len();
            let as_of = crate::messages::when_text(i18n.get_locale(), &view.as_of.to_string());
            let identity = view.identity.clone();
            let docs = view.documents.clone();
            let timeline = view.order.timeline.clone();
            let returned: Vec<String> = view.order.reasons.iter().map(|f| field_message(i18n, f)).collect();
            view! {
                <dl class="summary-list">
                    <div class="summary-row"><dt>{t!(i18n, order.status_label)}</dt><dd data-testid="review-status">{status_name(i18n, view.order.status)}</dd></div>
                    <div class="summary-row"><dt>{t!(i18n, check.path_label)}</dt><dd>{path_name(i18n, view.order.path)}</dd></div>
                    <div class="summary-row"><dt>{t!(i18n, console.applicant)}</dt><dd>{view.applicant.clone()}</dd></div>
                    <div class="summary-row"><dt>{t!(i18n, console.versions)}</dt><dd>{view.versions.len()}</dd></div>
                </dl>
                {(!returned.is_empty()).then(|| view! {
                    <h2>{t!(i18n, order.reasons_title)}</h2>
                    <ul>{returned.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                })}
                <p class="hint">{t_string!(i18n, console.findings_as_of).to_string().replace("{date}", &as_of)}</p>
                {view.order.record.as_ref().and_then(|record| crate::pages::review::differences_table(i18n, &app, record))}
                {(!app.subject.icp_number.is_empty()).then(|| view! {
                    <h2>{t!(i18n, records.subject_number)}</h2>
                    <dl class="summary-list" data-testid="numbers">
                        <div class="summary-row"><dt>{t!(i18n, records.subject_number)}</dt><dd>{app.subject.icp_number.clone()}</dd></div>
                        {app.websites.iter().filter(|w| !w.icp_number.is_empty()).map(|w| view! {
                            <div class="summary-row"><dt>{format!("{} · {}", w.name, w.domain)}</dt><dd>{w.icp_number.clone()}</dd></div>
                        }).collect_view()}
                    </dl>
                })}
                {wizard::steps_for(app.path).filter(|s| !matches!(s.id, StepId::Review | StepId::Documents)).map(|s| answers(i18n, &app, &findings, before.as_ref(), s.id)).collect_view()}
                <h2>{t!(i18n, apply.task_documents)}</h2>
                <ul class="documents" data-testid="documents">
                    {docs.into_iter().map(|d| {
                        let src = format!("/api/documents/{}?view=inline", d.id);
                        let size = format!("{} KB", (d.size_bytes + 1023) / 1024);
                        let image = d.media_type.starts_with("image/");
                        view! {
                            <li>
                                <p><strong>{document_name(i18n, d.kind)}</strong> " · " {d.media_type.clone()} " · " {size}</p>
                                {if image {
                                    view! { <img class="document-preview" src=src.clone() alt=document_name(i18n, d.kind)/> }.into_any()
                                } else {
                                    view! { <object class="document-preview" data=src.clone() type="application/pdf"><a href=src.clone()>{t!(i18n, console.open_document)}</a></object> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {identity.map(|(kind, _, at)| view! { <p>{t!(i18n, console.identity_provided)} " " {kind} " · " {when(i18n, &at)}</p> })}
                <h2>{t!(i18n, console.actions)}</h2>
                <p class="actions">
                    {simple.into_iter().map(|a| view! {
                        <button type="button" class="button" data-action=enum_value(&a) on:click=move |_| run(a)>{action_button(i18n, a)}</button> " "
                    }).collect_view()}
                </p>
                {deciding.then(|| {
                    let id = order_id.clone();
                    view! {
                        {view.simulated_authority.then(|| view! { <p><button type="button" class="button" data-action="authority_decide" on:click=move |_| run(Action::AuthorityApprove)>{t!(i18n, console.decide_now)}</button></p> })}
                        <NumbersForm state=state order_id=id sites=sites subject=numbers reload=reload/>
                    }
                })}
                {returning.map(|a| view! { <ReturnForm state=state order_id=order_id.clone() app=app.clone() action=a reasons=reasons reload=reload/> })}
                <h2>{t!(i18n, order.timeline_title)}</h2>
                <ol class="timeline">
                    {timeline.into_iter().map(|e| view! { <li><span class="timeline-when">{when(i18n, &e.at)}</span> " " {action_name(i18n, e.action)}</li> }).collect_view()}
                </ol>
            }
        })
    };
    view! {
        <p><A href="/review">{t!(i18n, console.back_to_queue)}</A></p>
        <h1>{t!(i18n, console.order_title)}</h1>
        {move || if reviewer_only(state) { content().into_any() } else { view! { <NotForYou/> }.into_any() }}
    }
}

/// The words of a reviewer's button.
fn action_button(i18n: I18n, action: Action) -> String {
    match action {
        Action::ProviderApprove => t_string!(i18n, console.approve).to_string(),
        Action::AcceptIdentity => t_string!(i18n, console.accept_identity).to_string(),
        Action::SubmitToAuthority => t_string!(i18n, console.submit_to_authority).to_string(),
        Action::ConfirmSms => t_string!(i18n, console.record_sms).to_string(),
        other => action_name(i18n, other),
    }
}
