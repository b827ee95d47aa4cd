//! The working-day corpus (`corpus/workdays.json`): the Spring Festival and National Day of
//! 2025 and 2026 with their 调休 working weekends, and a year without a schedule.

use beian_rules::workdays::{SCHEDULES, add_working_days, holidays_known, is_working_day};
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

fn corpus() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/workdays.json"))
            .expect("the corpus");
    serde_json::from_str(&text).expect("JSON")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("a date"), "%Y-%m-%d").expect("YYYY-MM-DD")
}

fn cases<'a>(c: &'a Value, key: &str) -> &'a Vec<Value> {
    c[key].as_array().expect("a list")
}

#[test]
fn working_days_follow_the_schedules() {
    let c = corpus();
    let list = cases(&c, "working_day");
    assert!(list.len() >= 20);
    for case in list {
        assert_eq!(
            is_working_day(date(&case["date"])),
            case["working"].as_bool().expect("bool"),
            "{case}"
        );
    }
}

#[test]
fn adding_working_days_skips_holidays_and_counts_the_weekends_worked() {
    let c = corpus();
    for case in cases(&c, "add_working_days") {
        let days = u32::try_from(case["days"].as_u64().expect("days")).expect("days");
        assert_eq!(
            add_working_days(date(&case["start"]), days),
            date(&case["expect"]),
            "{case}"
        );
    }
}

#[test]
fn a_year_without_a_schedule_is_said() {
    let c = corpus();
    for case in cases(&c, "holidays_known") {
        assert_eq!(
            holidays_known(date(&case["from"]), date(&case["to"])),
            case["expect"].as_bool().expect("bool"),
            "{case}"
        );
    }
}

/// Every schedule names real days of its own year, spans in order, published the year before;
/// its working weekends are weekends and none of them is also a day off.
#[test]
fn schedules_are_well_formed() {
    assert!(SCHEDULES.iter().any(|s| s.year == 2025) && SCHEDULES.iter().any(|s| s.year == 2026));
    for s in SCHEDULES {
        assert!(NaiveDate::from_ymd_opt(s.published.0, s.published.1, s.published.2).is_some());
        assert_eq!(
            s.published.0,
            s.year - 1,
            "{} is published the year before",
            s.year
        );
        assert!(!s.source.is_empty());
        for &((m1, d1), (m2, d2)) in s.days_off {
            let a = NaiveDate::from_ymd_opt(s.year, m1, d1).expect("a real day");
            let b = NaiveDate::from_ymd_opt(s.year, m2, d2).expect("a real day");
            assert!(a <= b, "{a} to {b}");
        }
        for &(m, d) in s.working_weekends {
            let day = NaiveDate::from_ymd_opt(s.year, m, d).expect("a real day");
            assert!(
                matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                "{day} is a weekend"
            );
            assert!(is_working_day(day), "{day} is worked");
            assert!(
                !s.days_off.iter().any(|&(a, b)| a <= (m, d) && (m, d) <= b),
                "{day} is not also off"
            );
        }
    }
}
