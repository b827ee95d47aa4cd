//! Prints every rule pack entry with its dates and citation:
//! `cargo run -p beian-rules --example rules [YYYY-MM-DD]` (with a date: only the rules in
//! force that day).

use beian_rules::pack::rules;
use chrono::NaiveDate;

fn main() {
    let day = std::env::args().nth(1).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    for r in rules().iter().filter(|r| day.is_none_or(|d| r.holds_on(d))) {
        let until = r.effective_until.map(|d| d.to_string()).unwrap_or_else(|| "now".into());
        let provinces = if r.provinces.is_empty() {
            "all provinces".to_owned()
        } else {
            r.provinces.iter().map(|p| p.code()).collect::<Vec<_>>().join(" ")
        };
        println!("{}  [{} – {}]  {}", r.id, r.effective_from, until, provinces);
        println!("    source: {}", r.source);
        if let Some(choice) = &r.choice {
            println!("    choice: {choice}");
        }
    }
}
