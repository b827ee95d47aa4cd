//! The filing wizard as data: its steps in order, each with its route, its title and its
//! sections of fields, named by the rules crate's field paths. The task list, the steps (one
//! component, [`crate::pages::step`]), check-your-answers and the messages for missing answers
//! all read this one description.
//!
//! Adding a field: add it to the rules crate's `Application` (its serde name is the field's
//! last path segment) and to its validator, add a [`FieldSpec`] here, and its words to both
//! locale files. Nothing else: fields read and write the draft by their path
//! ([`crate::state::AppState::value`] / [`crate::state::AppState::set`]).

use beian_rules::{Application, CertificateType, ContentCategory, FilingPath, Province, SubjectType};

use beian_rules::fields::FieldValue;

use crate::i18n::*;
use crate::messages::{self, I18n};
use crate::state::enum_value;

/// Words in a language (`(words)(i18n.get_locale())` for the page's; the reviewer's preview
/// asks for both).
pub type Words = fn(Locale) -> String;

macro_rules! words {
    ($($key:tt)+) => {
        |locale: Locale| td_string!(locale, $($key)+).to_string()
    };
}

/// The steps of the wizard, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepId {
    Instance,
    Subject,
    Principal,
    Websites,
    Documents,
    /// What a cancellation (or a transfer out) concerns, and its consequences confirmed.
    Cancel,
    Review,
}

/// Where a field's path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// A field of the application itself (`province`).
    Root,
    /// `websites[0].…`: the first website, whose service code the wizard asks for first.
    FirstWebsite,
    /// `subject.…`
    Subject,
    /// `subject_principal.…`
    SubjectPrincipal,
}

impl Prefix {
    fn path(self, leaf: &str) -> String {
        match self {
            Prefix::Root => leaf.to_owned(),
            Prefix::FirstWebsite => format!("websites[0].{leaf}"),
            Prefix::Subject => format!("subject.{leaf}"),
            Prefix::SubjectPrincipal => format!("subject_principal.{leaf}"),
        }
    }
}

/// A list of choices, by their wire names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choices {
    /// The 31 mainland provinces.
    Province,
    SubjectType,
    /// The certificate types the subject's type may use.
    SubjectCertificate,
    /// The certificate types a person may use.
    PersonCertificate,
    /// Website content categories (several may be ticked).
    Content,
}

impl Choices {
    /// The wire names of the choices for this application.
    pub fn options(self, app: &Application) -> Vec<String> {
        match self {
            Choices::Province => Province::mainland().map(|p| p.code().to_owned()).collect(),
            Choices::SubjectType => SubjectType::ALL.iter().map(enum_value).collect(),
            Choices::SubjectCertificate => {
                let types: &[CertificateType] = app.subject.subject_type.map(SubjectType::certificate_types).unwrap_or(&[]);
                types.iter().map(enum_value).collect()
            }
            Choices::PersonCertificate => CertificateType::PERSONAL.iter().map(enum_value).collect(),
            Choices::Content => ContentCategory::ALL.iter().map(enum_value).collect(),
        }
    }

    /// The words of one choice.
    pub fn name(self, i18n: I18n, value: &str) -> String {
        let name = match self {
            Choices::Province => Province::parse(value).map(|p| messages::province_name(i18n, p)),
            Choices::SubjectType => beian_rules::wire::parse(value).map(|s| messages::subject_type_name(i18n, s)),
            Choices::SubjectCertificate | Choices::PersonCertificate => beian_rules::wire::parse(value).map(|c| messages::cert_type_name(i18n, c)),
            Choices::Content => beian_rules::wire::parse(value).map(|c| messages::content_name(i18n, c)),
        };
        name.unwrap_or_else(|| value.to_owned())
    }
}

/// How a field is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Widget {
    /// Typed, with the input's type (`text`, `tel`, `email`).
    Text(&'static str),
    /// A date (`YYYY-MM-DD`).
    Date,
    /// One of a list.
    Select(Choices),
    /// Several of a list.
    Checkboxes(Choices),
    /// Yes or no, one box.
    Checkbox,
}

/// One field of a step.
pub struct FieldSpec {
    /// The last segment of its path (the serde name of the `Application` field).
    pub leaf: &'static str,
    pub label: Words,
    pub hint: Option<Words>,
    pub widget: Widget,
    /// Marked "(optional)"; a missing answer is no error.
    pub optional: bool,
    /// Checked as the applicant leaves it (ID numbers, phones, domains), not only on Continue.
    pub hard_format: bool,
    /// Whether the field is asked, given the application and the path of its group.
    pub shown: fn(&Application, &str) -> bool,
    /// What else changes with it (a new subject type brings its usual certificate type).
    pub then: Option<fn(&mut Application)>,
}

const fn field(leaf: &'static str, label: Words, widget: Widget) -> FieldSpec {
    FieldSpec { leaf, label, hint: None, widget, optional: false, hard_format: false, shown: always, then: None }
}

fn always(_: &Application, _: &str) -> bool {
    true
}

fn organisation(app: &Application, _: &str) -> bool {
    app.subject.subject_type.is_some_and(SubjectType::is_organization)
}

/// The person at `group` (`subject_principal`, `websites[0].principal`), if any.
fn person_at<'a>(app: &'a Application, group: &str) -> Option<&'a beian_rules::Person> {
    if group == "subject_principal" {
        return Some(&app.subject_principal);
    }
    let index = website_index(group)?;
    app.websites.get(index)?.principal.as_ref()
}

/// The index of `websites[i]…`.
pub fn website_index(path: &str) -> Option<usize> {
    path.strip_prefix("websites[")?.split(']').next()?.parse().ok()
}

fn not_long_term(app: &Application, group: &str) -> bool {
    person_at(app, group).is_none_or(|p| !p.long_term)
}

/// A website after the first, on a path that binds websites to an instance: it asks for its
/// own service code (the first website's comes first, on its own step).
fn later_website_code(app: &Application, group: &str) -> bool {
    app.path.is_some_and(beian_rules::FilingPath::needs_service_code) && website_index(group).is_some_and(|i| i > 0)
}

/// The subject's number is asked where the applicant gives it: the subject is filed with
/// another provider, or on the old platform (a record here fills it in).
fn asks_subject_number(app: &Application, _: &str) -> bool {
    matches!(app.path, Some(FilingPath::AddWebsiteSubjectElsewhere | FilingPath::TransferIn | FilingPath::ClaimLegacy))
}

/// A website's number is asked where it is filed already and comes in: a transfer or a claim.
fn asks_website_number(app: &Application, _: &str) -> bool {
    matches!(app.path, Some(FilingPath::TransferIn | FilingPath::TransferInExistingSubject | FilingPath::ClaimLegacy))
}

fn usual_certificate(app: &mut Application) {
    app.subject.certificate_type = app.subject.subject_type.and_then(|t| t.certificate_types().first().copied());
}

/// The province comes first (it decides what the rest of the filing needs).
pub const PROVINCE: &[FieldSpec] = &[field("province", words!(fields.province), Widget::Select(Choices::Province))];

pub const SERVICE_CODE: &[FieldSpec] = &[FieldSpec {
    hint: Some(words!(fields.service_code_hint)),
    hard_format: true,
    ..field("service_code", words!(fields.service_code), Widget::Text("text"))
}];

/// The subject's type, which decides the certificate types it may use.
pub const SUBJECT_TYPE: &[FieldSpec] =
    &[FieldSpec { then: Some(usual_certificate), ..field("subject_type", words!(fields.subject_type), Widget::Select(Choices::SubjectType)) }];

/// The subject's fields after its type (and the province's requirements).
pub const SUBJECT: &[FieldSpec] = &[
    FieldSpec {
        hint: Some(words!(fields.subject_icp_number_hint)),
        hard_format: true,
        shown: asks_subject_number,
        ..field("icp_number", words!(fields.subject_icp_number), Widget::Text("text"))
    },
    FieldSpec { hint: Some(words!(fields.subject_name_hint)), ..field("name", words!(fields.subject_name), Widget::Text("text")) },
    field("certificate_type", words!(fields.subject_certificate_type), Widget::Select(Choices::SubjectCertificate)),
    FieldSpec { hard_format: true, ..field("certificate_number", words!(fields.subject_certificate_number), Widget::Text("text")) },
    field("certificate_address", words!(fields.subject_certificate_address), Widget::Text("text")),
    FieldSpec { hint: Some(words!(fields.mailing_hint)), ..field("mailing_address", words!(fields.subject_mailing_address), Widget::Text("text")) },
    FieldSpec { shown: organisation, ..field("investor", words!(fields.investor), Widget::Text("text")) },
];

/// The fields of a person (the subject principal, or a website's own principal).
pub const PERSON: &[FieldSpec] = &[
    field("name", words!(fields.person_name), Widget::Text("text")),
    field("certificate_type", words!(fields.certificate_type), Widget::Select(Choices::PersonCertificate)),
    FieldSpec { hard_format: true, ..field("certificate_number", words!(fields.certificate_number), Widget::Text("text")) },
    FieldSpec { optional: true, ..field("long_term", words!(fields.long_term), Widget::Checkbox) },
    FieldSpec { shown: not_long_term, ..field("certificate_valid_until", words!(fields.valid_until), Widget::Date) },
    FieldSpec { hard_format: true, ..field("mobile", words!(fields.mobile), Widget::Text("tel")) },
    FieldSpec { hard_format: true, optional: true, ..field("emergency_mobile", words!(fields.emergency_mobile), Widget::Text("tel")) },
    FieldSpec { hard_format: true, optional: true, ..field("office_phone", words!(fields.office_phone), Widget::Text("tel")) },
    FieldSpec { hard_format: true, ..field("email", words!(fields.email), Widget::Text("email")) },
    FieldSpec { optional: true, shown: organisation, ..field("is_legal_representative", words!(fields.legal_rep), Widget::Checkbox) },
];

/// The fields of one website (its own principal follows when it has one).
pub const WEBSITE: &[FieldSpec] = &[
    FieldSpec {
        hint: Some(words!(fields.service_code_hint)),
        hard_format: true,
        shown: later_website_code,
        ..field("service_code", words!(fields.service_code), Widget::Text("text"))
    },
    FieldSpec {
        hint: Some(words!(fields.website_icp_number_hint)),
        hard_format: true,
        shown: asks_website_number,
        ..field("icp_number", words!(fields.website_icp_number), Widget::Text("text"))
    },
    FieldSpec { hint: Some(words!(fields.website_name_hint)), ..field("name", words!(fields.website_name), Widget::Text("text")) },
    FieldSpec { hint: Some(words!(fields.domain_hint)), hard_format: true, ..field("domain", words!(fields.domain), Widget::Text("text")) },
    FieldSpec { hint: Some(words!(fields.domain_holder_hint)), ..field("domain_holder", words!(fields.domain_holder), Widget::Text("text")) },
    FieldSpec { hint: Some(words!(fields.content_hint)), optional: true, ..field("content", words!(fields.content), Widget::Checkboxes(Choices::Content)) },
];

/// A part of a step.
pub enum Section {
    /// Fields under a prefix.
    Fields(Prefix, &'static [FieldSpec]),
    /// The fields of a person.
    Person(Prefix),
    /// What the filing needs for its province, subject type and path.
    Requirements,
    /// A link to the instances and their service codes.
    InstancesLink,
    /// Every website, each with its fields and its principal; add and remove.
    Websites,
    /// The documents this filing needs, each with an upload.
    Documents,
    /// What a cancellation concerns (chosen from the record) and its consequences.
    Cancel,
}

/// One step of the wizard.
pub struct Step {
    pub id: StepId,
    pub route: &'static str,
    pub title: Words,
    pub sections: &'static [Section],
    /// Done when the step opens (never ask twice: carry answers over).
    pub on_open: Option<fn(&mut Application)>,
    /// Whether the step is part of the wizard on a path (None: not chosen yet).
    pub for_path: fn(Option<FilingPath>) -> bool,
}

fn any_path(_: Option<FilingPath>) -> bool {
    true
}

/// Every path but a cancellation gives the filing's information.
fn gives_information(path: Option<FilingPath>) -> bool {
    !path.is_some_and(beian_rules::record::is_cancellation)
}

/// The paths that bind websites to an instance.
fn binds_instance(path: Option<FilingPath>) -> bool {
    path.is_none_or(FilingPath::needs_service_code)
}

fn cancels(path: Option<FilingPath>) -> bool {
    path.is_some_and(beian_rules::record::is_cancellation)
}

/// The wizard.
pub static STEPS: &[Step] = &[
    Step {
        id: StepId::Instance,
        route: "/apply/instance",
        title: words!(fields.service_code),
        sections: &[Section::InstancesLink, Section::Fields(Prefix::FirstWebsite, SERVICE_CODE)],
        on_open: None,
        for_path: binds_instance,
    },
    Step {
        id: StepId::Subject,
        route: "/apply/subject",
        title: words!(apply.task_subject),
        sections: &[
            Section::Fields(Prefix::Root, PROVINCE),
            Section::Fields(Prefix::Subject, SUBJECT_TYPE),
            Section::Requirements,
            Section::Fields(Prefix::Subject, SUBJECT),
        ],
        on_open: Some(|app| {
            // A subject type chosen in the check brings its usual certificate type.
            if app.subject.certificate_type.is_none() {
                usual_certificate(app);
            }
        }),
        for_path: gives_information,
    },
    Step {
        id: StepId::Principal,
        route: "/apply/principal",
        title: words!(apply.task_principal),
        sections: &[Section::Person(Prefix::SubjectPrincipal)],
        on_open: Some(|app| {
            // Never ask twice: an individual is their own principal.
            if app.subject.subject_type == Some(SubjectType::Individual) {
                let p = &mut app.subject_principal;
                if p.name.is_empty() {
                    p.name = app.subject.name.clone();
                }
                if p.certificate_number.is_empty() {
                    p.certificate_number = app.subject.certificate_number.clone();
                    p.certificate_type = app.subject.certificate_type;
                }
            }
        }),
        for_path: gives_information,
    },
    Step {
        id: StepId::Websites,
        route: "/apply/websites",
        title: words!(apply.task_websites),
        sections: &[Section::Websites],
        on_open: Some(|app| {
            if app.websites.is_empty() {
                app.websites.push(new_website(app));
            }
            // The service code step may have opened the first website with its code alone: it
            // gets the holder a new website gets.
            let holder = app.subject.name.clone();
            for w in app.websites.iter_mut().filter(|w| w.name.is_empty() && w.domain.is_empty() && w.domain_holder.is_empty()) {
                w.domain_holder = holder.clone();
            }
        }),
        for_path: gives_information,
    },
    Step {
        id: StepId::Documents,
        route: "/apply/documents",
        title: words!(apply.task_documents),
        sections: &[Section::Documents],
        on_open: None,
        for_path: gives_information,
    },
    Step { id: StepId::Cancel, route: "/apply/cancel", title: words!(cancel.step_title), sections: &[Section::Cancel], on_open: None, for_path: cancels },
    Step { id: StepId::Review, route: "/apply/review", title: words!(apply.task_review), sections: &[], on_open: None, for_path: any_path },
];

/// The steps of the wizard on `path`, in order.
pub fn steps_for(path: Option<FilingPath>) -> impl Iterator<Item = &'static Step> {
    STEPS.iter().filter(move |s| (s.for_path)(path))
}

/// A new website: its domain holder is, most often, the subject.
pub fn new_website(app: &Application) -> beian_rules::Website {
    beian_rules::Website { domain_holder: app.subject.name.clone(), ..Default::default() }
}

/// The step with `id`.
pub fn step(id: StepId) -> &'static Step {
    STEPS.iter().find(|s| s.id == id).unwrap_or(&STEPS[0])
}

/// The steps before and after `id` on `path` (the task list comes before the first).
pub fn neighbours(id: StepId, path: Option<FilingPath>) -> (&'static str, &'static str) {
    let steps: Vec<&Step> = steps_for(path).collect();
    let i = steps.iter().position(|s| s.id == id).unwrap_or(0);
    let back = i.checked_sub(1).and_then(|b| steps.get(b)).map_or("/apply", |s| s.route);
    let next = steps.get(i + 1).map_or("/apply", |s| s.route);
    (back, next)
}

/// A field on the page: its path and its description.
#[derive(Clone, Copy)]
pub struct Placed {
    pub spec: &'static FieldSpec,
    /// Where its group starts (`subject`, `websites[1].principal`); empty for the root.
    pub group: Group,
}

/// Where a group of fields starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Prefix(Prefix),
    Website(usize),
    WebsitePrincipal(usize),
}

impl Group {
    /// The path of this group (`websites[1].principal`).
    pub fn path(self) -> String {
        match self {
            Group::Prefix(Prefix::Root) => String::new(),
            Group::Prefix(Prefix::FirstWebsite) => "websites[0]".into(),
            Group::Prefix(Prefix::Subject) => "subject".into(),
            Group::Prefix(Prefix::SubjectPrincipal) => "subject_principal".into(),
            Group::Website(i) => format!("websites[{i}]"),
            Group::WebsitePrincipal(i) => format!("websites[{i}].principal"),
        }
    }

    /// The path of `leaf` in this group.
    pub fn field(self, leaf: &str) -> String {
        match self {
            Group::Prefix(p) => p.path(leaf),
            _ => format!("{}.{leaf}", self.path()),
        }
    }
}

impl Placed {
    pub fn path(&self) -> String {
        self.group.field(self.spec.leaf)
    }
}

/// The fields of `specs` in `group`, as asked for this application.
pub fn group_fields(group: Group, specs: &'static [FieldSpec], app: &Application) -> Vec<Placed> {
    let path = group.path();
    specs.iter().filter(|s| (s.shown)(app, &path)).map(|spec| Placed { spec, group }).collect()
}

/// The fields of a section, in order, as asked for this application.
pub fn placed(section: &Section, app: &Application) -> Vec<Placed> {
    match section {
        Section::Fields(prefix, specs) => group_fields(Group::Prefix(*prefix), specs, app),
        Section::Person(prefix) => group_fields(Group::Prefix(*prefix), PERSON, app),
        Section::Websites => {
            let mut out = Vec::new();
            for (i, w) in app.websites.iter().enumerate() {
                out.extend(group_fields(Group::Website(i), WEBSITE, app));
                if w.principal.is_some() {
                    out.extend(group_fields(Group::WebsitePrincipal(i), PERSON, app));
                }
            }
            out
        }
        Section::Requirements | Section::InstancesLink | Section::Documents | Section::Cancel => Vec::new(),
    }
}

/// Every field path a step asks for, with the paths its findings land on beyond its fields
/// (`websites`, `websites[0].principal`, `documents`).
pub fn step_fields(id: StepId, app: &Application) -> Vec<String> {
    let step = step(id);
    let mut fields: Vec<String> = step.sections.iter().flat_map(|s| placed(s, app)).map(|p| p.path()).collect();
    for section in step.sections {
        match section {
            Section::Websites => {
                fields.insert(0, "websites".into());
                fields.extend((0..app.websites.len()).map(|i| format!("websites[{i}].principal")));
            }
            Section::Documents => fields.push("documents".into()),
            Section::Cancel => fields.extend(["websites".to_owned(), "consequences_confirmed".to_owned()]),
            _ => {}
        }
    }
    fields
}

/// The step a field path belongs to (for "Change" links and the review's problem list).
pub fn step_of(path: &str) -> &'static Step {
    let app = Application::default();
    let owner = if path == "websites[0].service_code" {
        StepId::Instance
    } else if path.starts_with("subject_principal") {
        StepId::Principal
    } else if path.starts_with("subject") || path == "province" {
        StepId::Subject
    } else if path.starts_with("websites") {
        StepId::Websites
    } else if path.starts_with("documents") {
        StepId::Documents
    } else {
        STEPS.iter().find(|s| step_fields(s.id, &app).iter().any(|f| f == path)).map_or(StepId::Review, |s| s.id)
    };
    step(owner)
}

/// The step of the field at `field` on the filing path `path`: a cancellation's websites are
/// chosen on its own step.
pub fn step_on(field: &str, path: Option<FilingPath>) -> &'static Step {
    if cancels(path) && (field.starts_with("websites") || field == "consequences_confirmed" || field.is_empty()) {
        return step(StepId::Cancel);
    }
    step_of(field)
}

/// The description of the field at `path` (`websites[2].principal.mobile`), if the wizard
/// asks for it.
pub fn spec_of(path: &str) -> Option<&'static FieldSpec> {
    let (group, leaf) = match path.rsplit_once('.') {
        Some((group, leaf)) => (group, leaf),
        None => ("", path),
    };
    let lists: &[&'static [FieldSpec]] = match group {
        "" => &[PROVINCE],
        "subject" => &[SUBJECT_TYPE, SUBJECT],
        g if g == "subject_principal" || g.ends_with(".principal") => &[PERSON],
        g if website_index(g).is_some() => &[WEBSITE],
        _ => &[],
    };
    lists.iter().flat_map(|l| l.iter()).find(|s| s.leaf == leaf)
}

/// Whose a field is, in words, for the fields whose label does not say it: the person in
/// charge of the entity's (`主体负责人`), a website's (`网站1`), a website administrator's
/// (`网站1负责人`). The subject's own labels name it already (主办单位证件号码).
fn owner_of(locale: Locale, path: &str) -> Option<String> {
    if path.starts_with("subject_principal.") {
        return Some(td_string!(locale, owners.subject_principal).to_string());
    }
    let n = (website_index(path)? + 1).to_string();
    let words = if path.contains(".principal.") {
        td_string!(locale, owners.website_principal).to_string()
    } else {
        td_string!(locale, owners.website).to_string()
    };
    Some(words.replace("{n}", &n))
}

/// English puts a label inside a sentence ("Enter the full name of…") in lower case, but keeps
/// "ID number" as it is; Chinese has no case.
fn in_sentence(locale: Locale, label: &str) -> String {
    if locale == Locale::zh_CN {
        return label.to_owned();
    }
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first.to_lowercase().chain(label.chars().skip(1)).collect(),
        _ => label.to_owned(),
    }
}

/// The same words beginning a sentence (or standing alone as a label).
fn sentence_start(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The label of the field at `path` with whose it is, as it reads inside a sentence:
/// 主体负责人的姓名 / full name of the person in charge of the entity.
fn owned_label(locale: Locale, path: &str) -> Option<String> {
    let spec = spec_of(path)?;
    let label = (spec.label)(locale);
    let label = in_sentence(locale, label.trim());
    Some(match owner_of(locale, path) {
        Some(owner) => td_string!(locale, form.owned_label).to_string().replace("{owner}", &owner).replace("{label}", &label),
        None => label,
    })
}

/// The label of the field at `path` with whose it is, standing alone (check-your-answers, the
/// reviewer's console): 网站1负责人的姓名 / Full name of the administrator of website 1.
pub fn field_label(locale: Locale, path: &str) -> Option<String> {
    owned_label(locale, path).map(|l| sentence_start(&l))
}

/// The label of a placed field, with whose it is when its group does not say it: a website
/// administrator's fields sit under their website's heading.
pub fn placed_label(locale: Locale, placed: &Placed) -> String {
    match placed.group {
        Group::WebsitePrincipal(_) => field_label(locale, &placed.path()).unwrap_or_else(|| (placed.spec.label)(locale)),
        _ => (placed.spec.label)(locale),
    }
}

/// The words of a finding on a field of the wizard, naming the field and whose it is: a
/// missing answer reads "请填写主体负责人的姓名" / "Enter the full name of the person in
/// charge of the entity"; anything else is the code's words after the field's name.
pub fn field_message(i18n: I18n, finding: &beian_rules::Finding) -> String {
    let locale = i18n.get_locale();
    // The filing type is answered by the check, not a field of a step.
    if finding.code == beian_rules::Code::Required && finding.field == "path" {
        let label = in_sentence(locale, t_string!(i18n, check.path_label));
        return t_string!(i18n, form.select_label).to_string().replace("{label}", &label);
    }
    let (Some(spec), Some(label)) = (spec_of(&finding.field), owned_label(locale, &finding.field)) else {
        return messages::finding_text(i18n, finding);
    };
    if finding.code == beian_rules::Code::Required {
        let template = match spec.widget {
            Widget::Text(_) | Widget::Date => t_string!(i18n, form.enter_label).to_string(),
            Widget::Select(_) | Widget::Checkboxes(_) | Widget::Checkbox => t_string!(i18n, form.select_label).to_string(),
        };
        return template.replace("{label}", &label);
    }
    t_string!(i18n, form.field_problem)
        .to_string()
        .replace("{field}", &sentence_start(&label))
        .replace("{message}", &messages::finding_text(i18n, finding))
}

/// An answer as words.
pub fn answer_text(i18n: I18n, widget: Widget, value: Option<FieldValue>) -> String {
    match (widget, value) {
        (Widget::Checkbox, v) => {
            if v == Some(FieldValue::Flag(true)) { t_string!(i18n, form.yes).to_string() } else { t_string!(i18n, form.no).to_string() }
        }
        (Widget::Select(choices), Some(FieldValue::Text(s))) if !s.is_empty() => choices.name(i18n, &s),
        (Widget::Checkboxes(choices), Some(FieldValue::List(items))) if !items.is_empty() => {
            items.iter().map(|s| choices.name(i18n, s)).collect::<Vec<_>>().join(t_string!(i18n, form.list_separator))
        }
        (Widget::Checkboxes(_), _) => t_string!(i18n, fields.content_none).to_string(),
        (_, Some(FieldValue::Text(s))) => s,
        _ => String::new(),
    }
}


/// The fields whose answers differ between two versions of an application, by path, with
/// their descriptions (for "changed meanwhile" and "changed since the last rejection").
pub fn differences(a: &Application, b: &Application) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    for app in [a, b] {
        for step in STEPS {
            for section in step.sections {
                for placed in placed(section, app) {
                    let path = placed.path();
                    if a.field(&path) != b.field(&path) && !out.iter().any(|p| p.path() == path) {
                        out.push(placed);
                    }
                }
            }
        }
    }
    out
}
