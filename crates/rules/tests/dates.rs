//! Every entry point that takes a date, fed dates from the whole range chrono knows (the
//! "as of" day and the dates inside the answers alike): no panic, no overflow, an answer.

use beian_rules::corpus::{FILES, Input, parse_file};
use beian_rules::eligibility::{Hosting, NeedQuestions};
use beian_rules::path::{FiledWith, Intent, PathQuestions};
use beian_rules::requirements::public_security_deadline;
use beian_rules::types::{Billing, Instance, Product};
use beian_rules::workdays::add_working_days;
use beian_rules::{
    Application, FieldContext, FieldKind, FilingPath, Province, ProviderPolicy, SubjectType, check_instance, determine_path, need_filing,
    requirements, validate_application, validate_field,
};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

/// Any day chrono knows, the ends included more often than chance would pick them.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (NaiveDate::MIN.num_days_from_ce(), NaiveDate::MAX.num_days_from_ce());
    prop_oneof![
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
        8 => (min..=max).prop_map(move |d| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN)),
    ]
}

/// One application of the corpus with every date inside it replaced.
fn application(index: usize, valid_until: NaiveDate, expires: NaiveDate) -> Application {
    let (_, text) = FILES.iter().find(|(n, _)| *n == "applications.json").copied().unwrap_or(("", ""));
    let apps: Vec<Application> = parse_file(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| match c.input {
            Input::Application { application } => Some(*application),
            _ => None,
        })
        .collect();
    let mut app = apps.get(index % apps.len().max(1)).cloned().unwrap_or_default();
    app.subject_principal.long_term = false;
    app.subject_principal.certificate_valid_until = Some(valid_until);
    for site in &mut app.websites {
        site.domain_expires = Some(expires);
        if let Some(p) = &mut site.principal {
            p.long_term = false;
            p.certificate_valid_until = Some(valid_until);
        }
    }
    app
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_date_taking_entry_point_answers(day in any_day(), other in any_day(), index in 0usize..64, n in 0u32..400) {
        let _ = validate_application(&application(index, other, other), day);
        for kind in FieldKind::ALL {
            let _ = validate_field(*kind, "110105199003071239", &FieldContext::default(), day);
        }
        let _ = requirements(Province::Zhejiang, SubjectType::Individual, FilingPath::FirstFiling, day);
        let _ = requirements(Province::Tianjin, SubjectType::Enterprise, FilingPath::Change, day);
        let _ = need_filing(NeedQuestions { location: Province::Beijing, hosting: Hosting::AppOnly, e_commerce: true }, day);
        let _ = determine_path(
            PathQuestions {
                server_location: Province::Beijing,
                subject_filed: FiledWith::ThisProvider,
                domain_filed: FiledWith::Nowhere,
                intent: Intent::HostWebsite,
                hichina_before_june_2010: false,
                open_order: false,
                also_change: false,
                subject_first_filing_pending_elsewhere: false,
                domain_filed_by_other_subject: false,
                also_new_websites: false,
                subject_empty_shell: false,
                subject_province: Some(Province::Beijing),
                hosting: None,
                hichina_platform_filing: false,
                subject_in_other_account: false,
            },
            day,
        );
        let instance = Instance {
            product: Product::Ecs,
            region: "cn-hangzhou".into(),
            billing: Billing::Subscription,
            subscription_start: other,
            subscription_end: Some(day.min(other)),
            public_bandwidth_mbps: 5,
            service_codes_issued: 0,
            single_order_usd_cents: None,
        };
        let _ = check_instance(&instance, &ProviderPolicy::default(), day);
        let _ = public_security_deadline(FilingPath::FirstFiling, day);
        let later = add_working_days(day, n);
        prop_assert!(later >= day);
    }
}
