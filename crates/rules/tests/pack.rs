//! The rule packs themselves: every entry cited and dated, ids unique, and every mainland
//! province covered by the rules of both the seeds' time and today.

use beian_rules::pack::{Effect, Scope, WordList, active, rules, word_starts, words_starting_with};
use beian_rules::{FilingPath, Province, SubjectType};
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

#[test]
fn pack_loads() {
    assert!(rules().len() >= 80, "only {} rules loaded: did data/*.toml parse?", rules().len());
}

#[test]
fn every_rule_is_cited_and_dated() {
    for r in rules() {
        assert!(r.source.len() > 10, "{}: no source", r.id);
        // The Chinese interface shows the source's title in Chinese, the original beside it.
        assert!(r.source_zh.is_some_and(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))), "{}: no Chinese title of its source", r.id);
        assert!(!r.file.is_empty(), "{}: no file", r.id);
        if let Some(until) = r.effective_until {
            assert!(until > r.effective_from, "{}: ends before it starts", r.id);
        }
    }
}

#[test]
fn rule_ids_are_unique() {
    let mut ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len());
}

#[test]
fn provinces_in_rules_are_mainland() {
    for r in rules() {
        for p in r.provinces {
            assert!(p.is_mainland(), "{}: {} is not a mainland province", r.id, p.code());
        }
    }
}

/// Every mainland province has an authority review estimate and an SMS rule today, and a
/// verification step in 2018.
#[test]
fn every_province_covered_in_2018_and_today() {
    for p in Province::mainland() {
        let scope = Scope { province: Some(p), subject: Some(SubjectType::Enterprise), path: Some(FilingPath::FirstFiling) };
        let today: Vec<_> = active(date("2026-11-22"), scope).collect();
        assert!(today.iter().any(|r| matches!(r.effect, Effect::AuthorityReview { .. })), "{}: no review estimate", p.code());
        assert!(today.iter().any(|r| matches!(r.effect, Effect::SmsVerification { hours: 24, .. })), "{}: no 24 h SMS", p.code());
        let seeds: Vec<_> = active(date("2018-07-01"), scope).collect();
        assert!(seeds.iter().any(|r| matches!(r.effect, Effect::Verification { .. })), "{}: no 2018 verification", p.code());
        assert!(seeds.iter().any(|r| matches!(r.effect, Effect::AuthorityReview { .. })), "{}: no 2018 estimate", p.code());
    }
}

/// Two rules of the same kind that would answer the same question on the same day for the
/// same province, subject and path are a data error (the engine would pick one silently).
#[test]
fn no_two_review_estimates_overlap() {
    for p in Province::mainland() {
        for day in ["2018-07-01", "2020-08-17", "2026-11-22"] {
            let scope = Scope { province: Some(p), subject: Some(SubjectType::Individual), path: Some(FilingPath::FirstFiling) };
            let n = active(date(day), scope).filter(|r| matches!(r.effect, Effect::AuthorityReview { .. })).count();
            assert_eq!(n, 1, "{} on {day}: {n} review estimates", p.code());
        }
    }
}

#[test]
fn conflicting_sources_say_what_was_chosen() {
    for id in [
        "sms.all_provinces_2020",
        "sms.second_batch_2018_09_10",
        "sms.pilot_24h_2019",
        "domain.rejected_tlds",
        "domain.approved_tlds_2019",
        "people.minimum_age_henan_guardian",
        "verify.face_2020",
        "name.format",
        "name.individual_suffixes",
        "name.jiangsu_individual_pattern",
        "mobile.sms_ranges",
        "coverage.rules",
        "path.transfer_before_new_websites",
    ] {
        let rule = rules().iter().find(|r| r.id == id);
        assert!(rule.is_some_and(|r| r.choice.as_ref().is_some_and(|c| c.len() > 20)), "{id}: no choice recorded");
    }
}

/// `active` looks rules up through an index by province; it must pick exactly the rules that
/// the definition of "in force" picks from the whole pack.
#[test]
fn active_rules_are_the_rules_in_force() {
    for day in ["2018-07-01", "2020-08-17", "2026-11-22"] {
        let day = date(day);
        for province in Province::ALL.iter().copied().map(Some).chain([None]) {
            for subject in SubjectType::ALL.iter().copied().map(Some).chain([None]) {
                for path in FilingPath::ALL.iter().copied().map(Some).chain([None]) {
                    let scope = Scope { province, subject, path };
                    let got: Vec<&str> = active(day, scope).map(|r| r.id).collect();
                    let want: Vec<&str> = rules()
                        .iter()
                        .filter(|r| {
                            r.holds_on(day)
                                && province.is_none_or(|p| r.covers_province(p))
                                && subject.is_none_or(|s| r.covers_subject(s))
                                && path.is_none_or(|p| r.covers_path(p))
                        })
                        .map(|r| r.id)
                        .collect();
                    assert_eq!(got, want, "{day} {scope:?}");
                }
            }
        }
    }
}

/// `words_starting_with` looks words up by their first characters; with the text's starts it
/// must find exactly the words of the list in force that the text contains, in the order of
/// the data files, as a walk through the whole pack does. The texts join every word of every
/// list to every other (both orders), to a word of another list and to words sharing no start.
#[test]
fn word_lookup_is_a_walk_through_the_pack() {
    let every: Vec<&str> = rules()
        .iter()
        .flat_map(|r| match &r.effect {
            Effect::WebsiteNameWords { words, .. } => words.to_vec(),
            _ => Vec::new(),
        })
        .collect();
    assert!(every.len() > 20, "the lists hold {} words", every.len());
    let mut texts = vec!["张三的美食分享".to_owned(), "abc".to_owned(), String::new()];
    for (i, a) in every.iter().enumerate() {
        texts.push(format!("{a}的网站"));
        if let Some(b) = every.get((i * 7 + 3) % every.len()) {
            texts.push(format!("{a}{b}"));
            texts.push(format!("{b}和{a}"));
        }
    }
    let day = date("2026-11-22");
    for text in &texts {
        let starts = word_starts(text);
        for list in WordList::ALL.iter().copied() {
            for province in [None, Some(Province::Beijing), Some(Province::Jiangsu)] {
                let scope = Scope { province, subject: Some(SubjectType::Individual), path: None };
                let mut got = words_starting_with(&starts, day, scope, list);
                got.retain(|(w, _)| text.contains(w));
                let got: Vec<(&str, &str)> = got.iter().map(|(w, r)| (*w, r.id)).collect();
                let want: Vec<(&str, &str)> = rules()
                    .iter()
                    .filter(|r| r.holds_on(day) && province.is_none_or(|p| r.covers_province(p)) && r.covers_subject(SubjectType::Individual))
                    .flat_map(|r| match &r.effect {
                        Effect::WebsiteNameWords { list: l, words } if *l == list => {
                            words.iter().filter(|w| !w.is_empty() && text.contains(**w)).map(|w| (*w, r.id)).collect()
                        }
                        _ => Vec::new(),
                    })
                    .collect();
                assert_eq!(got, want, "{text} {list:?} {province:?}");
            }
        }
    }
}

/// The dating policy (data/coverage.toml): no entry starts before the earliest source of the
/// check it serves, and none keeps the old "2017-01-01: as far back as the sources reach".
#[test]
fn no_rule_starts_before_its_sources() {
    let earliest = rules().iter().filter(|r| matches!(r.effect, Effect::SourcesReach { .. })).map(|r| r.effective_from).min();
    assert_eq!(earliest, Some(date("2017-04-07")));
    for r in rules() {
        assert!(r.effective_from >= date("2017-04-07"), "{} starts {}", r.id, r.effective_from);
        assert_ne!(r.effective_from, date("2017-01-01"), "{}", r.id);
    }
}

/// Claims (认领备案) are reviewed by the provider alone (issue 16, item 5).
#[test]
fn claims_have_no_miit_sms_and_no_administration_review() {
    for day in ["2018-07-01", "2019-06-01", "2026-11-22"] {
        for p in Province::mainland() {
            let scope = Scope { province: Some(p), subject: Some(SubjectType::Individual), path: Some(FilingPath::ClaimLegacy) };
            let wrong: Vec<&str> = active(date(day), scope)
                .filter(|r| matches!(r.effect, Effect::SmsVerification { .. } | Effect::AuthorityReview { .. }))
                .map(|r| r.id)
                .collect();
            assert!(wrong.is_empty(), "{} {day}: {wrong:?}", p.code());
        }
    }
}
