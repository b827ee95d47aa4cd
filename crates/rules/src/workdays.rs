//! Working-day arithmetic for review estimates. Weekends are skipped; public holidays are not
//! known to the crate (they are announced yearly), so estimates say "about".

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// True on Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `days` working days after `start` (0 gives `start` itself).
pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    let mut date = start;
    let mut left = days;
    while left > 0 {
        date += Duration::days(1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}
