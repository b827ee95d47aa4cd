//! The ends of the date range, dates before any source, and drafts stored before service
//! codes moved onto websites.

use beian_rules::corpus::{FILES, Input, parse_file};
use beian_rules::eligibility::{Hosting, NeedQuestions};
use beian_rules::path::{FiledWith, Intent, PathQuestions};
use beian_rules::types::{Billing, Instance, Product};
use beian_rules::{
    Application, Code, FieldContext, FieldKind, FilingPath, Province, ProviderPolicy, SubjectType, check_instance, determine_path,
    need_filing, requirements, validate_application, validate_field,
};
use chrono::NaiveDate;

/// Every application of the corpus.
fn applications() -> Vec<Application> {
    let (_, text) = FILES.iter().find(|(n, _)| *n == "applications.json").copied().unwrap_or(("", ""));
    parse_file(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| match c.input {
            Input::Application { application } => Some(*application),
            _ => None,
        })
        .collect()
}

fn path_questions() -> PathQuestions {
    PathQuestions {
        server_location: Province::Beijing,
        subject_filed: FiledWith::Nowhere,
        domain_filed: FiledWith::Nowhere,
        intent: Intent::HostWebsite,
        hichina_before_june_2010: false,
        open_order: true,
        also_change: false,
        subject_first_filing_pending_elsewhere: false,
        domain_filed_by_other_subject: false,
        also_new_websites: false,
        subject_empty_shell: false,
        subject_province: None,
        hosting: None,
        hichina_platform_filing: false,
        subject_in_other_account: false,
    }
}

/// No check panics or overflows at the last day chrono knows, and every rule that is still
/// current holds then.
#[test]
fn the_last_day_of_the_calendar() {
    let day = NaiveDate::MAX;
    for app in applications() {
        let findings = validate_application(&app, day);
        assert!(!findings.iter().any(|f| f.code == Code::BeforeSources));
    }
    for kind in FieldKind::ALL {
        let _ = validate_field(*kind, "１３８ 0013 8000", &FieldContext::default(), day);
    }
    let r = requirements(Province::Zhejiang, SubjectType::Enterprise, FilingPath::FirstFiling, day);
    assert!(r.review.is_some() && r.notes.is_empty(), "{r:?}");
    let a = determine_path(path_questions(), day);
    assert!(a.blockers.iter().any(|b| b.code == Code::PathOpenOrder) && a.notes.is_empty());
    let need = need_filing(NeedQuestions { location: Province::Beijing, hosting: Hosting::AppOnly, e_commerce: true }, day);
    assert!(need.filing_needed && need.commercial_license.is_some());
    let instance = Instance {
        product: Product::Ecs,
        region: "cn-hangzhou".into(),
        billing: Billing::Subscription,
        subscription_start: day,
        subscription_end: Some(day),
        public_bandwidth_mbps: 1,
        service_codes_issued: 0,
        single_order_usd_cents: None,
    };
    let e = check_instance(&instance, &ProviderPolicy::default(), day);
    assert!(e.findings.iter().any(|f| f.code == Code::InstanceExpired));
}

/// A date before the sources reach is answered with `rules.before_sources`, never silently
/// with no rules.
#[test]
fn before_any_source() {
    for day in [NaiveDate::MIN, NaiveDate::from_ymd_opt(2016, 12, 31).unwrap_or_default()] {
        for app in applications() {
            let findings = validate_application(&app, day);
            assert!(findings.iter().any(|f| f.code == Code::BeforeSources && f.is_error()), "{day}: {findings:?}");
        }
        for kind in [FieldKind::WebsiteName, FieldKind::Domain, FieldKind::Mobile] {
            let value = match kind {
                FieldKind::Domain => "example.com",
                FieldKind::Mobile => "13800138000",
                _ => "张三的美食分享",
            };
            let findings = validate_field(kind, value, &FieldContext::default(), day);
            assert_eq!(findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::BeforeSources], "{kind:?} {day}");
        }
        let r = requirements(Province::Tianjin, SubjectType::Individual, FilingPath::FirstFiling, day);
        assert_eq!(r.notes.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::BeforeSources]);
        assert_eq!(determine_path(path_questions(), day).notes.len(), 1);
        let need = need_filing(NeedQuestions { location: Province::Beijing, hosting: Hosting::ProviderServer, e_commerce: false }, day);
        assert_eq!(need.notes.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::BeforeSources]);
        let instance = Instance {
            product: Product::Ecs,
            region: "cn-hangzhou".into(),
            billing: Billing::Subscription,
            subscription_start: day,
            subscription_end: NaiveDate::from_ymd_opt(2030, 1, 1),
            public_bandwidth_mbps: 1,
            service_codes_issued: 0,
            single_order_usd_cents: None,
        };
        let e = check_instance(&instance, &ProviderPolicy::default(), day);
        assert!(!e.eligible && e.findings.iter().any(|f| f.code == Code::BeforeSources), "{e:?}");
    }
}

/// Drafts saved before codes moved onto websites: the top-level code lands on the first
/// website without one, and is never written back.
#[test]
fn a_stored_top_level_service_code_lands_on_the_first_website_without_one() {
    let code = "32a43232-a888-88e8-b9ec-00888be8888f";
    let read = |json: serde_json::Value| serde_json::from_value::<Application>(json).unwrap_or_default();
    let two = read(serde_json::json!({
        "path": "first_filing",
        "service_code": code,
        "websites": [{"domain": "a.com", "service_code": "other"}, {"domain": "b.com"}]
    }));
    assert_eq!((two.service_code(0), two.service_code(1)), ("other", code));
    let none = read(serde_json::json!({"path": "first_filing", "service_code": code}));
    assert_eq!((none.websites.len(), none.service_code(0)), (1, code));
    let full = read(serde_json::json!({"service_code": code, "websites": [{"service_code": "x"}]}));
    assert_eq!((full.websites.len(), full.service_code(0)), (1, "x"));
    let written = serde_json::to_value(&two).unwrap_or_default();
    assert!(written.get("service_code").is_none() && written["websites"][1]["service_code"] == code);
    assert_eq!(read(written), two);
    let mut draft = Application::default();
    draft.set_service_code(1, code.into());
    assert_eq!((draft.websites.len(), draft.service_code(0), draft.service_code(1)), (2, "", code));
}
