//! Prints every rule pack entry with its dates, citation and choice, then the built-in
//! provider policy's periods: `cargo run -p beian-rules --example rules [YYYY-MM-DD]` (with a
//! date: only the rules and the period in force that day).

use beian_rules::ProviderPolicy;
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
    let policy = ProviderPolicy::default();
    println!("\nprovider policy (data/provider-policy.toml): {}", policy.provider);
    for p in policy.periods.iter().filter(|p| day.is_none_or(|d| p.holds_on(d))) {
        let until = p.effective_until.map(|d| d.to_string()).unwrap_or_else(|| "now".into());
        let products: Vec<String> = p
            .products
            .iter()
            .map(|t| format!("{} {} months {:?}, {} codes", beian_rules::wire::name(&t.product), t.min_months, t.subscription_rule, t.service_codes))
            .collect();
        println!("{}  [{} – {}]  {}", p.id, p.effective_from, until, products.join("; "));
        println!("    source: {}", p.source);
        if let Some(choice) = &p.choice {
            println!("    choice: {choice}");
        }
    }
}
