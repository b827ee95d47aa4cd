//! One normalisation policy for every identifier and every comparison.
//!
//! What a Chinese input method or a copied text brings, and what it becomes:
//!
//! - full-width forms of ASCII (`１２３`, `ＡＢＣ`, `＠`, `（`) → their ASCII twins;
//! - the ideographic space (U+3000) and other Unicode spaces → an ASCII space;
//! - dashes (`－` U+FF0D, `‐` U+2010 … `―` U+2015, `−` U+2212, `﹣` U+FE63) → `-`;
//! - invisible characters a paste carries (zero-width space and joiners, U+FEFF) → removed.
//!
//! Then, per kind of value:
//!
//! - **identifiers** ([`identifier`]): every space is removed, wherever it is
//!   (`138 0013 8000`, `110105 19900307 1239`); the identifier's own module then removes the
//!   separators it does not keep (hyphens in ID numbers and mobiles; a domain, a service code,
//!   an office phone and an e-mail keep theirs) and sets the case it compares in;
//! - **text** ([`text`]: names, addresses): trimmed, runs of spaces become one space;
//! - **comparisons of text** ([`same_text`]): the text forms compared with spaces removed and
//!   ASCII letters folded (`ＡＢＣ 科技（北京）` is `abc科技(北京)`).
//!
//! Chinese full stops in domains (`。`) are the domain module's own business.

/// A character as the policy reads it: `None` for an invisible one.
fn narrow_char(c: char) -> Option<char> {
    match c {
        // Full-width ASCII forms.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        // Dashes and minus signs.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => Some('-'),
        // Zero-width space, joiners, word joiner, byte-order mark.
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        c if c.is_whitespace() => Some(' '),
        c => Some(c),
    }
}

/// True when `narrow` would change nothing (most input): no allocation then.
fn is_narrow(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii() && b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0B && b != 0x0C)
}

/// Full-width forms, Unicode spaces and dashes as ASCII; invisible characters removed.
pub fn narrow(text: &str) -> String {
    if is_narrow(text) {
        return text.to_owned();
    }
    text.chars().filter_map(narrow_char).collect()
}

/// An identifier as typed, narrowed and without any space.
pub fn identifier(text: &str) -> String {
    if text.bytes().all(|b| b.is_ascii_graphic()) {
        return text.to_owned();
    }
    text.chars().filter_map(narrow_char).filter(|c| *c != ' ').collect()
}

/// A name or an address: narrowed, trimmed, each run of spaces one space.
pub fn text(text: &str) -> String {
    let narrowed = narrow(text);
    let mut out = String::with_capacity(narrowed.len());
    for word in narrowed.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The form two texts are compared in: narrowed, without spaces, ASCII letters lower-cased.
pub fn comparable(text: &str) -> String {
    identifier(text).to_ascii_lowercase()
}

/// True when two names or addresses are the same under the policy.
pub fn same_text(a: &str, b: &str) -> bool {
    comparable(a) == comparable(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_spaces_and_dashes() {
        assert_eq!(identifier("１３８\u{3000}0013－8000"), "1380013-8000");
        assert_eq!(identifier(" 110105\u{200B}19900307 1239 "), "110105199003071239");
        assert_eq!(text("  ＡＢＣ\u{3000}\u{3000}科技  "), "ABC 科技");
        assert!(same_text("ＡＢＣ科技（北京）有限公司", "abc 科技(北京)有限公司"));
        assert_eq!(narrow("a—b"), "a-b");
    }
}
