//! Working-day arithmetic for review estimates. Weekends are skipped; public holidays are not
//! known to the crate (they are announced yearly), so estimates say "about".

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// True on Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `days` working days after `start` (0 gives `start` itself).
pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    // Count on the weekday number rather than on dates: the same walk, without date arithmetic
    // on every step.
    let mut weekday = start.weekday().num_days_from_monday();
    let (mut offset, mut left) = (0i64, days);
    while left > 0 {
        offset += 1;
        weekday = (weekday + 1) % 7;
        if weekday < 5 {
            left -= 1;
        }
    }
    start.checked_add_signed(Duration::days(offset)).unwrap_or(NaiveDate::MAX)
}
