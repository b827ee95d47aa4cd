//! The provider policy as data: the built-in default is `data/provider-policy.toml`, and an
//! operator's file in the same format parses to the same policy (`ProviderPolicy::from_toml`).

use beian_rules::eligibility::{PolicyError, SubscriptionRule};
use beian_rules::types::{Billing, Instance, Product};
use beian_rules::{Code, ProviderPolicy, check_instance};
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

const DEFAULT_FILE: &str = include_str!("../data/provider-policy.toml");

#[test]
fn default_policy_loads() {
    let policy = ProviderPolicy::default();
    assert!(policy.periods.len() >= 4, "{} periods: did data/provider-policy.toml parse?", policy.periods.len());
    assert!(policy.region("cn-hangzhou").is_some());
    for period in &policy.periods {
        assert!(period.source.len() > 20, "{}: no source", period.id);
    }
}

/// The file the operator passes and the built-in default are one format: the default file,
/// read as an operator's, is the default.
#[test]
fn the_default_is_the_files_contents() {
    assert_eq!(ProviderPolicy::from_toml(DEFAULT_FILE), Ok(ProviderPolicy::default()));
}

#[test]
fn seeds_then_today_each_in_its_time() {
    let policy = ProviderPolicy::default();
    let ecs_2018 = policy.product(Product::Ecs, date("2018-07-01"));
    assert_eq!(ecs_2018.map(|p| (p.min_months, p.subscription_rule)), Some((3, SubscriptionRule::Remaining)));
    let ecs_today = policy.product(Product::Ecs, date("2026-11-22"));
    assert_eq!(ecs_today.map(|p| (p.min_months, p.subscription_rule)), Some((3, SubscriptionRule::Total)));
    assert!(policy.product(Product::WebHosting, date("2020-01-01")).is_some());
    assert!(policy.product(Product::WebHosting, date("2026-11-22")).is_none());
    assert!(policy.product(Product::IotPackage, date("2022-04-15")).is_some());
    assert!(policy.product(Product::IotPackage, date("2022-04-14")).is_none());
}

fn ecs(start: &str, end: &str) -> Instance {
    Instance {
        product: Product::Ecs,
        region: "cn-hangzhou".into(),
        billing: Billing::Subscription,
        subscription_start: date(start),
        subscription_end: Some(date(end)),
        public_bandwidth_mbps: 5,
        service_codes_issued: 0,
        single_order_usd_cents: None,
    }
}

#[test]
fn an_operators_policy_replaces_the_default() {
    let file = r#"
provider = "Example Cloud"
[regions]
"ex-north" = "CN-BJ"
[[period]]
id = "example.2020"
effective_from = "2020-01-01"
source = "Example Cloud's filing terms (2020-01-01)"
[[period.product]]
product = "ecs"
min_months = 6
subscription_rule = "total"
service_codes = 2
requires_public_bandwidth = true
"#;
    let policy = ProviderPolicy::from_toml(file);
    assert!(policy.is_ok(), "{policy:?}");
    let policy = policy.unwrap_or_default();
    let mut instance = ecs("2026-01-01", "2026-05-01");
    instance.region = "ex-north".into();
    let e = check_instance(&instance, &policy, date("2026-02-01"));
    assert_eq!(e.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::InstanceSubscriptionTooShort]);
    instance.subscription_end = Some(date("2026-08-01"));
    let e = check_instance(&instance, &policy, date("2026-02-01"));
    assert!(e.eligible && e.service_codes_left == 2, "{e:?}");
    // Before the operator's first period the sources say nothing.
    let e = check_instance(&instance, &policy, date("2019-06-01"));
    assert_eq!(e.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::BeforeSources]);
    assert!(!e.eligible);
}

#[test]
fn a_malformed_policy_is_refused_with_its_reason() {
    let period = |id: &str, from: &str, until: &str| {
        format!(
            "[[period]]\nid = \"{id}\"\neffective_from = \"{from}\"\n{until}source = \"s\"\n[[period.product]]\nproduct = \"ecs\"\nmin_months = 3\nsubscription_rule = \"total\"\nservice_codes = 5\n"
        )
    };
    let overlap = format!("{}{}", period("a", "2020-01-01", ""), period("b", "2021-01-01", ""));
    assert_eq!(ProviderPolicy::from_toml(&overlap), Err(PolicyError::Overlap("a".into(), "b".into())));
    let backwards = period("a", "2020-01-01", "effective_until = \"2019-01-01\"\n");
    assert_eq!(ProviderPolicy::from_toml(&backwards), Err(PolicyError::Period("a".into())));
    let unknown_product = period("a", "2020-01-01", "").replace("\"ecs\"", "\"mainframe\"");
    assert!(matches!(ProviderPolicy::from_toml(&unknown_product), Err(PolicyError::Format(_))));
    assert!(matches!(ProviderPolicy::from_toml("period = 3"), Err(PolicyError::Format(_))));
    let twice = format!("{}[[period.product]]\nproduct = \"ecs\"\nmin_months = 1\nsubscription_rule = \"total\"\nservice_codes = 1\n", period("a", "2020-01-01", ""));
    assert_eq!(ProviderPolicy::from_toml(&twice), Err(PolicyError::DuplicateProduct("a".into())));
}

#[test]
fn free_trials_and_small_iot_orders_get_no_code() {
    let policy = ProviderPolicy::default();
    let mut trial = ecs("2022-05-01", "2023-05-01");
    trial.billing = Billing::FreeTrial;
    let e = check_instance(&trial, &policy, date("2022-06-01"));
    assert!(e.findings.iter().any(|f| f.code == Code::InstanceFreeTrial) && !e.eligible);
    let mut iot = ecs("2022-05-01", "2022-12-01");
    iot.product = Product::IotPackage;
    iot.public_bandwidth_mbps = 0;
    iot.single_order_usd_cents = Some(1399);
    let e = check_instance(&iot, &policy, date("2022-06-01"));
    assert_eq!(e.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::InstanceOrderTooSmall]);
    iot.single_order_usd_cents = Some(1400);
    assert!(check_instance(&iot, &policy, date("2022-06-01")).eligible);
}
