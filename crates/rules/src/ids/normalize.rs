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

/// Byte classes for the fast path of [`identifier_as`]: a byte the policy may change (a space or
/// control character, or the lead byte of U+0085/U+00A0 (C2), U+1680 (E1), the spaces, dashes
/// and invisible characters of U+2000-U+2212 (E2), U+3000 (E3), the full-width forms,
/// U+FE63 and U+FEFF (EF)), a hyphen, an ASCII lower-case or upper-case letter. Any other
/// byte (Chinese characters, continuation bytes) stays as it is.
const CHANGED: u8 = 1;
const HYPHEN: u8 = 2;
const LOWER: u8 = 4;
const UPPER: u8 = 8;
static BYTES: [u8; 256] = byte_classes();

/// The table of byte classes. Built at compile time: an index out of bounds here would fail
/// the build (const evaluation), never panic at run time, so the lint's reason does not apply.
#[allow(clippy::indexing_slicing)]
const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b: usize = 0;
    while b < table.len() {
        table[b] = match b as u8 {
            0..=0x20 | 0x7F | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => CHANGED,
            b'-' => HYPHEN,
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            _ => 0,
        };
        b += 1;
    }
    table
}

/// True when `text` is empty or only spaces (what `text.trim().is_empty()` says, without
/// scanning it from both ends).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
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
    identifier_as(text, Separators::Keep, Case::Keep).into_owned()
}

/// Whether an identifier keeps its hyphens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separators {
    /// A domain, a service code, an office phone, an e-mail: hyphens are part of it.
    Keep,
    /// An ID number, a mobile: hyphens only separate groups of digits.
    DropHyphens,
}

/// The case an identifier's ASCII letters are compared in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Keep,
    Upper,
    Lower,
}

/// An identifier under the policy, in one pass: narrowed, without spaces (and hyphens, for
/// `DropHyphens`), ASCII letters in `case`. Borrowed when the input is already so (most are).
pub fn identifier_as(text: &str, separators: Separators, case: Case) -> std::borrow::Cow<'_, str> {
    let mask = CHANGED
        | if separators == Separators::DropHyphens { HYPHEN } else { 0 }
        | match case {
            Case::Keep => 0,
            Case::Upper => LOWER,
            Case::Lower => UPPER,
        };
    // Every byte's class, in one pass without a branch per byte (a `u8` always indexes the
    // table; the fallback is never taken).
    let classes = text.bytes().fold(0, |seen, b| seen | BYTES.get(usize::from(b)).copied().unwrap_or(CHANGED));
    let clean = classes & mask == 0;
    if clean {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter_map(narrow_char) {
        if c == ' ' || (separators == Separators::DropHyphens && c == '-') {
            continue;
        }
        out.push(match case {
            Case::Keep => c,
            Case::Upper => c.to_ascii_uppercase(),
            Case::Lower => c.to_ascii_lowercase(),
        });
    }
    std::borrow::Cow::Owned(out)
}

/// A name or an address: narrowed, trimmed, each run of spaces one space. Borrowed when the
/// text is already so (most are).
pub fn text(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.bytes().all(|b| if b.is_ascii() { b == b' ' || b.is_ascii_graphic() } else { !matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF) });
    if plain {
        return std::borrow::Cow::Borrowed(text);
    }
    let narrowed = narrow(text);
    let mut out = String::with_capacity(narrowed.len());
    for word in narrowed.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// The form two texts are compared in: narrowed, without spaces, ASCII letters lower-cased.
pub fn comparable(text: &str) -> std::borrow::Cow<'_, str> {
    identifier_as(text, Separators::Keep, Case::Lower)
}

/// True when two names or addresses are the same under the policy.
pub fn same_text(a: &str, b: &str) -> bool {
    comparable(a) == comparable(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The borrowed fast path gives what the character walk gives.
    #[test]
    fn fast_path_is_the_walk() {
        let texts = ["北京某某科技有限公司", "ＡＢＣ", "a\u{00A0}b", "x\u{1680}y", "—", "\u{3000}", "ｰ", "\u{FEFF}1", "é-É", "中-文 ", "A-b"];
        for text in texts {
            for sep in [Separators::Keep, Separators::DropHyphens] {
                for case in [Case::Keep, Case::Upper, Case::Lower] {
                    let walk: String = text
                        .chars()
                        .filter_map(narrow_char)
                        .filter(|c| *c != ' ' && !(sep == Separators::DropHyphens && *c == '-'))
                        .map(|c| match case {
                            Case::Keep => c,
                            Case::Upper => c.to_ascii_uppercase(),
                            Case::Lower => c.to_ascii_lowercase(),
                        })
                        .collect();
                    assert_eq!(identifier_as(text, sep, case), walk, "{text:?} {sep:?} {case:?}");
                }
            }
        }
    }

    #[test]
    fn full_width_spaces_and_dashes() {
        assert_eq!(identifier("１３８\u{3000}0013－8000"), "1380013-8000");
        assert_eq!(identifier(" 110105\u{200B}19900307 1239 "), "110105199003071239");
        assert_eq!(text("  ＡＢＣ\u{3000}\u{3000}科技  "), "ABC 科技");
        assert!(same_text("ＡＢＣ科技（北京）有限公司", "abc 科技(北京)有限公司"));
        assert_eq!(narrow("a—b"), "a-b");
    }
}
