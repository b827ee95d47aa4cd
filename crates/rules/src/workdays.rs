//! Working-day arithmetic for review estimates and deadlines. The administrations count working
//! days as the State Council's yearly holiday schedule (部分节假日安排) sets them: the public
//! holidays are days off, and the weekend days it makes working days (调休上班) count. Each
//! year's schedule is dated data with its source ([`SCHEDULES`]); the State Council publishes
//! the next year's in November or December. For a year without a schedule, only weekends are
//! skipped, and [`holidays_known`] says so, so that an estimate can tell the applicant that
//! holidays are not counted.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A span of days, both ends included, as (month, day) in the schedule's year.
pub type Span = ((u32, u32), (u32, u32));

/// One year's holiday schedule, as the State Council published it.
#[derive(Debug)]
pub struct Schedule {
    pub year: i32,
    /// The notice's title and number, as published.
    pub source: &'static str,
    /// The day the notice was published.
    pub published: (i32, u32, u32),
    /// The days off (放假), weekends inside them included.
    pub days_off: &'static [Span],
    /// Saturdays and Sundays that are working days (调休上班).
    pub working_weekends: &'static [(u32, u32)],
}

/// The schedules this crate knows, by year.
pub static SCHEDULES: &[Schedule] = &[
    Schedule {
        year: 2025,
        source: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
        published: (2024, 11, 12),
        days_off: &[
            ((1, 1), (1, 1)),   // 元旦
            ((1, 28), (2, 4)),  // 春节
            ((4, 4), (4, 6)),   // 清明节
            ((5, 1), (5, 5)),   // 劳动节
            ((5, 31), (6, 2)),  // 端午节
            ((10, 1), (10, 8)), // 国庆节、中秋节
        ],
        working_weekends: &[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)],
    },
    Schedule {
        year: 2026,
        source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）",
        published: (2025, 11, 4),
        days_off: &[
            ((1, 1), (1, 3)),   // 元旦
            ((2, 15), (2, 23)), // 春节
            ((4, 4), (4, 6)),   // 清明节
            ((5, 1), (5, 5)),   // 劳动节
            ((6, 19), (6, 21)), // 端午节
            ((9, 25), (9, 27)), // 中秋节
            ((10, 1), (10, 7)), // 国庆节
        ],
        working_weekends: &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
    },
];

/// The schedule of `year`, if the crate has it.
pub fn schedule(year: i32) -> Option<&'static Schedule> {
    SCHEDULES.iter().find(|s| s.year == year)
}

/// True when every year from `from` to `to` has its holiday schedule here: working days
/// counted between them skip the public holidays and count the 调休 weekends.
pub fn holidays_known(from: NaiveDate, to: NaiveDate) -> bool {
    (from.year()..=to.year()).all(|y| schedule(y).is_some())
}

fn within(day: (u32, u32), span: &Span) -> bool {
    span.0 <= day && day <= span.1
}

/// True on a working day: Monday to Friday outside the public holidays, and the weekend days
/// the year's schedule makes working days. For a year without a schedule, Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    let Some(s) = schedule(date.year()) else {
        return weekday;
    };
    let day = (date.month(), date.day());
    if s.working_weekends.contains(&day) {
        return true;
    }
    weekday && !s.days_off.iter().any(|span| within(day, span))
}

/// The date `days` working days after `start` (0 gives `start` itself).
pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    let mut date = start;
    let mut left = days;
    while left > 0 {
        date = match date.checked_add_signed(Duration::days(1)) {
            Some(d) => d,
            None => return NaiveDate::MAX,
        };
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}
