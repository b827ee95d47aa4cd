//! `validate_application` keeps, per thread, what the pack says about the scopes it has seen
//! (province × subject type × path × day). Whatever a thread has kept — the scope asked
//! just before, or a full store forgotten and begun again — the findings must be those of a
//! thread that has kept nothing.

use beian_rules::{Application, FilingPath, Person, Province, Subject, SubjectType, Website, validate_application};
use chrono::NaiveDate;

fn application(province: Province, subject_type: SubjectType, path: FilingPath) -> Application {
    Application {
        province: Some(province),
        path: Some(path),
        subject: Subject {
            subject_type: Some(subject_type),
            name: "张三".into(),
            certificate_number: "110105199003071239".into(),
            certificate_address: "北京市朝阳区1号".into(),
            mailing_address: "北京市朝阳区1号".into(),
            ..Subject::default()
        },
        subject_principal: Person { name: "张三".into(), mobile: "13800138000".into(), ..Person::default() },
        websites: vec![Website { name: "张三的个人博客".into(), domain: "zhangsan.com".into(), ..Website::default() }],
        ..Application::default()
    }
}

#[test]
fn findings_do_not_depend_on_what_the_thread_has_kept() {
    let days: Vec<NaiveDate> = ["2018-07-01", "2020-08-17", "2026-11-22"]
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    let mut cases = Vec::new();
    for day in &days {
        for province in Province::ALL.iter().copied().filter(|p| p.is_mainland()) {
            for subject in [SubjectType::Individual, SubjectType::Enterprise] {
                for path in [FilingPath::FirstFiling, FilingPath::AddWebsite] {
                    cases.push((*day, application(province, subject, path)));
                }
            }
        }
    }
    // Several times the number of scopes a thread keeps, each asked twice in a row.
    assert!(cases.len() > 300, "{} cases", cases.len());
    let kept: Vec<_> = cases
        .iter()
        .map(|(day, app)| {
            let first = validate_application(app, *day);
            assert_eq!(first, validate_application(app, *day), "{day} {:?}", app.province);
            first
        })
        .collect();
    for ((day, app), kept) in cases.iter().zip(kept).step_by(7) {
        let (day, app) = (*day, app.clone());
        let fresh = std::thread::spawn(move || validate_application(&app, day)).join().unwrap_or_default();
        assert_eq!(kept, fresh, "{day}");
    }
}
