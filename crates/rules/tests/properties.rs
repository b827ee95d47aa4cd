//! Property tests for the checksums: a correct check character always passes, any other
//! always fails, and no input makes a validator panic.

use beian_rules::ids::{resident_id, uscc};
use beian_rules::{FieldContext, FieldKind, validate_field};
use chrono::NaiveDate;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

proptest! {
    #[test]
    fn resident_id_check_char_round_trips(seq in 0u32..1000, days in 0i64..36000, region in prop::sample::select(vec!["110105", "310115", "440305", "510104", "650102"])) {
        let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap_or_default() + chrono::Duration::days(days);
        let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let check = resident_id::check_char(&first17).unwrap_or('?');
        let good = format!("{first17}{check}");
        prop_assert!(resident_id::validate(&good, today()).is_empty(), "{}", good);
        for other in "0123456789X".chars().filter(|c| *c != check) {
            let bad = format!("{first17}{other}");
            prop_assert_eq!(resident_id::validate(&bad, today()).len(), 1);
        }
    }

    #[test]
    fn uscc_check_char_round_trips(body in "[0-9A-HJ-NP-RTUW-Y]{9}", region in prop::sample::select(vec!["110000", "310115", "440300"])) {
        let first17 = format!("91{region}{body}");
        let check = uscc::check_char(&first17).unwrap_or('?');
        let good = format!("{first17}{check}");
        prop_assert!(uscc::validate(&good, None).is_empty(), "{}", good);
        for other in USCC_ALPHABET.chars().filter(|c| *c != check).take(5) {
            let code = format!("{first17}{other}");
            let findings = uscc::validate(&code, None);
            prop_assert!(!findings.is_empty(), "{}", code);
        }
    }

    #[test]
    fn no_validator_panics(value in "\\PC{0,40}") {
        for kind in FieldKind::ALL {
            let _ = validate_field(*kind, &value, &FieldContext::default(), today());
        }
    }
}
