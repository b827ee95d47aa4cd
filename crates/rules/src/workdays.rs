//! Working-day arithmetic for review estimates. Weekends are skipped; public holidays are not
//! known to the crate (they are announced yearly), so estimates say "about".

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// True on Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    is_working_weekday(date.weekday())
}

fn is_working_weekday(day: Weekday) -> bool {
    !matches!(day, Weekday::Sat | Weekday::Sun)
}

/// The date `days` working days after `start` (0 gives `start` itself).
pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    // Walk the weekdays rather than the dates: the same walk, without date arithmetic on
    // every step.
    let mut weekday = start.weekday();
    let (mut offset, mut left) = (0i64, days);
    while left > 0 {
        offset += 1;
        weekday = weekday.succ();
        if is_working_weekday(weekday) {
            left -= 1;
        }
    }
    start.checked_add_signed(Duration::days(offset)).unwrap_or(NaiveDate::MAX)
}
