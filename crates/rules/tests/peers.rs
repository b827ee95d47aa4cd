//! Differential tests against peers: the crate's verdicts compared with another
//! implementation's on many numbers, every deliberate difference listed with its reason.
//!
//! - Mobile ranges against libphonenumber's China metadata (the `phonenumber` crate, a
//!   dev-dependency only: it never reaches the app).
//! - Resident ID numbers and unified social credit codes against python-stdnum, whose verdicts
//!   on numbers drawn with a fixed seed are kept in `peers/stdnum.json` (made by
//!   `peers/stdnum_verdicts.py`), so that the test runs without Python.

use beian_rules::ids::{mobile, resident_id, uscc};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

/// A small deterministic generator (xorshift64*), so that the numbers are the same each run.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// libphonenumber's verdict: a valid Chinese number of the mobile type.
fn peer_mobile(number: &str) -> bool {
    let Ok(parsed) = phonenumber::parse(Some(phonenumber::country::Id::CN), number) else { return false };
    phonenumber::is_valid(&parsed)
        && matches!(
            parsed.number_type(&phonenumber::metadata::DATABASE),
            phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
        )
}

/// Every 5-digit prefix from 13000 to 19999, with four random completions each (28,000
/// numbers): the ranges are prefixes, so this covers every range the crate lists and every
/// one it does not.
#[test]
fn mobile_ranges_agree_with_libphonenumber() {
    // Deliberate differences: none. The crate's list is libphonenumber 9.0.33's mobile ranges
    // (data/mobiles.toml says why, against facts §5.3 and VincentSit's regex).
    let deliberate: &[(&str, &str)] = &[];
    let mut rng = Numbers(0x16_2026);
    let (mut agree, mut differ) = (0usize, Vec::new());
    for prefix in 13000u64..20000 {
        for _ in 0..4 {
            let number = format!("{prefix}{:06}", rng.next() % 1_000_000);
            let ours = mobile::validate(&number, today()).is_empty();
            let peer = peer_mobile(&number);
            if ours == peer || deliberate.iter().any(|(p, _)| number.starts_with(p)) {
                agree += 1;
            } else {
                differ.push(format!("{number}: ours {ours}, libphonenumber {peer}"));
            }
        }
    }
    eprintln!("mobile vs libphonenumber: {agree} agree, {} differ", differ.len());
    assert!(differ.is_empty(), "{} of {} differ, e.g. {:?}", differ.len(), agree + differ.len(), differ.iter().take(10).collect::<Vec<_>>());
}

#[derive(serde::Deserialize)]
struct Stdnum {
    resident_id: Vec<(String, bool)>,
    uscc: Vec<(String, bool)>,
}

fn stdnum() -> Stdnum {
    serde_json::from_str(include_str!("peers/stdnum.json")).unwrap_or(Stdnum { resident_id: Vec::new(), uscc: Vec::new() })
}

/// Why the crate and python-stdnum may disagree on a resident ID, if they may.
fn resident_id_difference(number: &str) -> Option<&'static str> {
    match number.get(..2) {
        Some("71" | "81" | "82" | "83") => Some("71, 81, 82, 83 open no resident ID (Taiwan, the residence permits)"),
        _ => Some("county codes are not checked: a province prefix is what the filing rules need, and the county table changes every year")
            .filter(|_| number.get(2..6).is_some_and(|county| county != "0000")),
    }
}

/// Why the crate and python-stdnum may disagree on a USCC, if they may.
fn uscc_difference(code: &str) -> Option<&'static str> {
    if code.get(..1).is_some_and(|c| matches!(c, "A" | "N" | "Y")) {
        return Some("GB 32100 registration authorities A, N and Y are letters; python-stdnum wants digits in the first 8 places");
    }
    match code.get(2..4) {
        Some("71" | "81" | "82" | "83" | "99") => Some("a region outside the mainland provinces and the central level is refused"),
        _ => None,
    }
}

#[test]
fn resident_ids_agree_with_python_stdnum() {
    let cases = stdnum().resident_id;
    assert!(cases.len() >= 600, "{} numbers", cases.len());
    let (mut agree, mut explained, mut unexplained) = (0, 0, Vec::new());
    for (number, peer) in &cases {
        let ours = resident_id::validate(number, today()).is_empty();
        if ours == *peer {
            agree += 1;
        } else if resident_id_difference(number).is_some() {
            explained += 1;
        } else {
            unexplained.push(format!("{number}: ours {ours}, python-stdnum {peer}"));
        }
    }
    eprintln!("resident ID vs python-stdnum: {agree} agree, {explained} differ deliberately, {} otherwise", unexplained.len());
    assert!(unexplained.is_empty(), "{unexplained:?}");
}

#[test]
fn usccs_agree_with_python_stdnum() {
    let cases = stdnum().uscc;
    assert!(cases.len() >= 600, "{} codes", cases.len());
    let (mut agree, mut explained, mut unexplained) = (0, 0, Vec::new());
    for (code, peer) in &cases {
        let ours = !uscc::validate(code, None).iter().any(|f| f.is_error());
        if ours == *peer {
            agree += 1;
        } else if uscc_difference(code).is_some() {
            explained += 1;
        } else {
            unexplained.push(format!("{code}: ours {ours}, python-stdnum {peer}"));
        }
    }
    eprintln!("USCC vs python-stdnum: {agree} agree, {explained} differ deliberately, {} otherwise", unexplained.len());
    assert!(unexplained.is_empty(), "{unexplained:?}");
}
