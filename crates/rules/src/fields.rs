//! The application's fields by their field paths (`subject.name`,
//! `websites[0].principal.mobile`): read and written as one small value type, so that the app
//! binds every field of its wizard the same way, and the reviewer console reads any answer by
//! the path its findings carry. The path segments are the fields' serde names; each struct
//! lists its own fields here, next to nothing else.

use chrono::NaiveDate;

use crate::application::{Application, Person, Subject, Website};
use crate::wire;

/// A field's value: text (a typed answer, a date as `YYYY-MM-DD`, a choice by its wire name;
/// empty for none), a yes/no, or a list of choices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Flag(bool),
    List(Vec<String>),
}

impl FieldValue {
    /// The text of a text value (empty otherwise).
    pub fn text(&self) -> &str {
        match self {
            FieldValue::Text(t) => t,
            _ => "",
        }
    }
}

fn choice<T: serde::Serialize>(value: &Option<T>) -> FieldValue {
    FieldValue::Text(value.as_ref().map(wire::name).unwrap_or_default())
}

fn date(value: &Option<NaiveDate>) -> FieldValue {
    FieldValue::Text(value.map(|d| d.to_string()).unwrap_or_default())
}

/// Sets a text field.
#[inline(never)]
fn set_text(slot: &mut String, value: FieldValue) -> bool {
    match value {
        FieldValue::Text(t) => {
            *slot = t;
            true
        }
        _ => false,
    }
}

/// Sets a choice: empty text is none; text that names no value changes nothing.
#[inline(never)]
fn set_choice<T: for<'de> serde::Deserialize<'de>>(slot: &mut Option<T>, value: FieldValue) -> bool {
    match value {
        FieldValue::Text(t) if t.is_empty() => {
            *slot = None;
            true
        }
        FieldValue::Text(t) => match wire::parse(&t) {
            Some(v) => {
                *slot = Some(v);
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// A `YYYY-MM-DD` date (what a date input gives, and how the API writes a day), without
/// chrono's format parser: the browser's copy of this crate carries no format machinery.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Sets a date: empty text is none; text that is no date changes nothing.
#[inline(never)]
fn set_date(slot: &mut Option<NaiveDate>, value: FieldValue) -> bool {
    match value {
        FieldValue::Text(t) if t.trim().is_empty() => {
            *slot = None;
            true
        }
        FieldValue::Text(t) => match iso_date(t.trim()) {
            Some(d) => {
                *slot = Some(d);
                true
            }
            None => false,
        },
        _ => false,
    }
}

#[inline(never)]
fn set_flag(slot: &mut bool, value: FieldValue) -> bool {
    match value {
        FieldValue::Flag(b) => {
            *slot = b;
            true
        }
        _ => false,
    }
}

impl Person {
    fn field(&self, leaf: &str) -> Option<FieldValue> {
        Some(match leaf {
            "name" => FieldValue::Text(self.name.clone()),
            "certificate_type" => choice(&self.certificate_type),
            "certificate_number" => FieldValue::Text(self.certificate_number.clone()),
            "certificate_valid_until" => date(&self.certificate_valid_until),
            "long_term" => FieldValue::Flag(self.long_term),
            "mobile" => FieldValue::Text(self.mobile.clone()),
            "emergency_mobile" => FieldValue::Text(self.emergency_mobile.clone()),
            "office_phone" => FieldValue::Text(self.office_phone.clone()),
            "email" => FieldValue::Text(self.email.clone()),
            "is_legal_representative" => FieldValue::Flag(self.is_legal_representative),
            _ => return None,
        })
    }

    fn set_field(&mut self, leaf: &str, value: FieldValue) -> bool {
        match leaf {
            "name" => set_text(&mut self.name, value),
            "certificate_type" => set_choice(&mut self.certificate_type, value),
            "certificate_number" => set_text(&mut self.certificate_number, value),
            "certificate_valid_until" => set_date(&mut self.certificate_valid_until, value),
            "long_term" => set_flag(&mut self.long_term, value),
            "mobile" => set_text(&mut self.mobile, value),
            "emergency_mobile" => set_text(&mut self.emergency_mobile, value),
            "office_phone" => set_text(&mut self.office_phone, value),
            "email" => set_text(&mut self.email, value),
            "is_legal_representative" => set_flag(&mut self.is_legal_representative, value),
            _ => false,
        }
    }
}

impl Subject {
    pub(crate) fn field(&self, leaf: &str) -> Option<FieldValue> {
        Some(match leaf {
            "subject_type" => choice(&self.subject_type),
            "name" => FieldValue::Text(self.name.clone()),
            "certificate_type" => choice(&self.certificate_type),
            "certificate_number" => FieldValue::Text(self.certificate_number.clone()),
            "certificate_address" => FieldValue::Text(self.certificate_address.clone()),
            "mailing_address" => FieldValue::Text(self.mailing_address.clone()),
            "investor" => FieldValue::Text(self.investor.clone()),
            "icp_number" => FieldValue::Text(self.icp_number.clone()),
            _ => return None,
        })
    }

    fn set_field(&mut self, leaf: &str, value: FieldValue) -> bool {
        match leaf {
            "subject_type" => set_choice(&mut self.subject_type, value),
            "name" => set_text(&mut self.name, value),
            "certificate_type" => set_choice(&mut self.certificate_type, value),
            "certificate_number" => set_text(&mut self.certificate_number, value),
            "certificate_address" => set_text(&mut self.certificate_address, value),
            "mailing_address" => set_text(&mut self.mailing_address, value),
            "investor" => set_text(&mut self.investor, value),
            "icp_number" => set_text(&mut self.icp_number, value),
            _ => false,
        }
    }
}

impl Website {
    fn field(&self, leaf: &str) -> Option<FieldValue> {
        Some(match leaf {
            "name" => FieldValue::Text(self.name.clone()),
            "domain" => FieldValue::Text(self.domain.clone()),
            "domain_holder" => FieldValue::Text(self.domain_holder.clone()),
            "domain_expires" => date(&self.domain_expires),
            "content" => FieldValue::List(self.content.iter().map(wire::name).collect()),
            "service_code" => FieldValue::Text(self.service_code.clone()),
            "icp_number" => FieldValue::Text(self.icp_number.clone()),
            _ => return None,
        })
    }

    fn set_field(&mut self, leaf: &str, value: FieldValue) -> bool {
        match (leaf, value) {
            ("name", v) => set_text(&mut self.name, v),
            ("domain", v) => set_text(&mut self.domain, v),
            ("domain_holder", v) => set_text(&mut self.domain_holder, v),
            ("domain_expires", v) => set_date(&mut self.domain_expires, v),
            ("service_code", v) => set_text(&mut self.service_code, v),
            ("icp_number", v) => set_text(&mut self.icp_number, v),
            ("content", FieldValue::List(items)) => {
                self.content = items.iter().filter_map(|i| wire::parse(i)).collect();
                true
            }
            _ => false,
        }
    }
}

/// A path split into its group and its last segment.
enum Target<'p> {
    Root(&'p str),
    Subject(&'p str),
    SubjectPrincipal(&'p str),
    Website(usize, &'p str),
    WebsitePrincipal(usize, &'p str),
}

fn target(path: &str) -> Option<Target<'_>> {
    let Some((group, leaf)) = path.rsplit_once('.') else { return Some(Target::Root(path)) };
    match group {
        "subject" => Some(Target::Subject(leaf)),
        "subject_principal" => Some(Target::SubjectPrincipal(leaf)),
        _ => {
            let rest = group.strip_prefix("websites[")?;
            let (index, after) = rest.split_once(']')?;
            let index: usize = index.parse().ok()?;
            match after {
                "" => Some(Target::Website(index, leaf)),
                ".principal" => Some(Target::WebsitePrincipal(index, leaf)),
                _ => None,
            }
        }
    }
}

impl Application {
    /// Puts `site` at index `i`, adding empty websites before it (at most one past the end:
    /// the field paths of the wizard name existing websites and the next one).
    fn put_website(&mut self, i: usize, site: Website) -> bool {
        if i > self.websites.len() {
            return false;
        }
        match self.websites.get_mut(i) {
            Some(slot) => *slot = site,
            None => self.websites.push(site),
        }
        true
    }

    /// The value of the field at `path`; None for a path that names no field (or a website or
    /// principal that is not there).
    pub fn field(&self, path: &str) -> Option<FieldValue> {
        match target(path)? {
            Target::Root("province") => Some(FieldValue::Text(self.province.map(|p| p.code().to_owned()).unwrap_or_default())),
            Target::Root("consequences_confirmed") => Some(FieldValue::Flag(self.consequences_confirmed)),
            Target::Root(_) => None,
            Target::Subject(leaf) => self.subject.field(leaf),
            Target::SubjectPrincipal(leaf) => self.subject_principal.field(leaf),
            Target::Website(i, leaf) => self.websites.get(i)?.field(leaf),
            Target::WebsitePrincipal(i, leaf) => self.websites.get(i)?.principal.as_ref()?.field(leaf),
        }
    }

    /// Sets the field at `path`; false (and nothing changed) for a path that names no field
    /// or a value it cannot hold. A website (the wizard asks for the first website's service
    /// code before its other fields) and a website's principal are made when one of their
    /// fields is set.
    pub fn set_field(&mut self, path: &str, value: FieldValue) -> bool {
        let Some(target) = target(path) else { return false };
        match target {
            Target::Root("province") => match value {
                FieldValue::Text(t) if t.is_empty() => {
                    self.province = None;
                    true
                }
                FieldValue::Text(t) => match crate::types::Province::parse(&t) {
                    Some(p) => {
                        self.province = Some(p);
                        true
                    }
                    None => false,
                },
                _ => false,
            },
            Target::Root("consequences_confirmed") => set_flag(&mut self.consequences_confirmed, value),
            Target::Root(_) => false,
            Target::Subject(leaf) => self.subject.set_field(leaf, value),
            Target::SubjectPrincipal(leaf) => self.subject_principal.set_field(leaf, value),
            Target::Website(i, leaf) => {
                let mut site = self.websites.get(i).cloned().unwrap_or_default();
                site.set_field(leaf, value) && self.put_website(i, site)
            }
            Target::WebsitePrincipal(i, leaf) => {
                let mut site = self.websites.get(i).cloned().unwrap_or_default();
                site.principal.get_or_insert_with(Person::default).set_field(leaf, value) && self.put_website(i, site)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_and_write_by_path() {
        let mut app = Application::default();
        // The first website's code comes before the website's other fields.
        assert!(app.set_field("websites[0].service_code", FieldValue::Text("code".into())));
        assert_eq!(app.websites.len(), 1);
        assert!(app.set_field("subject.name", FieldValue::Text("张三".into())));
        assert!(app.set_field("province", FieldValue::Text("CN-BJ".into())));
        assert!(app.set_field("subject.subject_type", FieldValue::Text("individual".into())));
        assert!(app.set_field("websites[0].principal.mobile", FieldValue::Text("13800138000".into())));
        assert!(app.set_field("websites[0].content", FieldValue::List(vec!["news".into(), "nonsense".into()])));
        assert!(app.set_field("subject_principal.certificate_valid_until", FieldValue::Text("2030-12-31".into())));
        assert_eq!(app.field("subject.name"), Some(FieldValue::Text("张三".into())));
        assert_eq!(app.field("province"), Some(FieldValue::Text("CN-BJ".into())));
        assert_eq!(app.field("subject.subject_type"), Some(FieldValue::Text("individual".into())));
        assert_eq!(app.field("websites[0].principal.mobile"), Some(FieldValue::Text("13800138000".into())));
        assert_eq!(app.field("websites[0].content"), Some(FieldValue::List(vec!["news".into()])));
        assert_eq!(app.field("subject_principal.certificate_valid_until"), Some(FieldValue::Text("2030-12-31".into())));
        // What names no field, or a value the field cannot hold, changes nothing.
        let before = app.clone();
        assert!(!app.set_field("subject.nonsense", FieldValue::Text("x".into())));
        assert!(!app.set_field("websites[3].name", FieldValue::Text("x".into())));
        assert!(!app.set_field("province", FieldValue::Text("CN-XX".into())));
        assert!(!app.set_field("subject_principal.certificate_valid_until", FieldValue::Text("31/12/2030".into())));
        assert!(!app.set_field("subject_principal.long_term", FieldValue::Text("yes".into())));
        assert_eq!(app, before);
        assert_eq!(app.field("websites[0]x.name"), None);
    }

    #[test]
    fn iso_date_takes_only_a_whole_calendar_day() {
        assert_eq!(iso_date("2026-12-02"), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(iso_date("2028-02-29"), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(iso_date("9999-12-31"), NaiveDate::from_ymd_opt(9999, 12, 31));
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "+202-01-01", "2026-01-+1", "2026-12-02T00:00", "", "2026/12/02", "２０２６-12-02"] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
    }
}
