//! Validating a typical full application with two websites (target: under 20 µs natively).

use beian_rules::corpus::{FILES, Input, parse_file};
use beian_rules::validate_application;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let (_, text) = FILES.iter().find(|(n, _)| *n == "applications.json").copied().unwrap_or(("", ""));
    let cases = parse_file(text).unwrap_or_default();
    let Some(case) = cases.iter().find(|c| c.name == "different_principals_share_phone_and_email") else { return };
    let Input::Application { application } = &case.input else { return };
    let mut app = (**application).clone();
    let mut second = app.websites[0].clone();
    second.domain = "mouke-cloud.com".into();
    second.name = "某某云服务".into();
    app.websites.push(second);
    c.bench_function("validate_application_two_websites", |b| {
        b.iter(|| validate_application(std::hint::black_box(&app), case.as_of))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
