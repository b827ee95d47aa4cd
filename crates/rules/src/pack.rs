//! Rule packs: every rule is data (`data/*.toml`) with its source and the dates it holds.
//!
//! A rule holds on `effective_from <= date < effective_until`. It applies to the provinces,
//! subject types and paths it lists (an empty list means all). Where sources conflict, the
//! entry's `choice` says what was chosen and why. [`rules`] lists every entry with its
//! citation; [`active`] answers "as of" a date that the caller passes in.
//!
//! The pack is Rust data made at build time: `build.rs` writes every entry of `data/*.toml`
//! as a `Rule` of `'static` strings, lists and dates, and a malformed file fails the build.
//! Nothing is parsed at run time, and there is no pack that could fail to load.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::types::{ContentCategory, DocumentKind, FilingPath, Province, SubjectType, VerificationStep, Verifier};

/// One rule pack entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Stable id (`sms.all_provinces_2020`).
    pub id: &'static str,
    /// The data file it comes from (`sms`).
    pub file: &'static str,
    /// Where the rule comes from, with the source's date.
    pub source: &'static str,
    /// The source's title in Chinese, for the Chinese interface (which shows the original
    /// beside it).
    pub source_zh: Option<&'static str>,
    /// First day the rule holds.
    pub effective_from: NaiveDate,
    /// First day it no longer holds; none while it is current.
    pub effective_until: Option<NaiveDate>,
    /// Provinces it applies to; empty: every mainland province.
    pub provinces: &'static [Province],
    /// Subject types it applies to; empty: all.
    pub subject_types: &'static [SubjectType],
    /// Paths it applies to; empty: every path with an order.
    pub paths: &'static [FilingPath],
    /// Where sources conflict: what was chosen, and why. Left out of the wasm build (the app
    /// never shows it): always `None` there.
    pub choice: Option<&'static str>,
    /// What the rule asks for.
    pub effect: Effect,
}

/// When a conditional document or rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The subject principal is not the legal representative.
    SubjectPrincipalNotLegalRepresentative,
    /// A website principal is not the legal representative.
    WebsitePrincipalNotLegalRepresentative,
    /// A domain's registrant is not the subject.
    DomainHolderNotSubject,
    /// An individual whose ID was issued in another province.
    NonLocalIndividual,
    /// The order holds at least `threshold` domains.
    DomainsInOrderAtLeast,
    /// A principal is younger than 18.
    Minor,
    /// A website's content needs pre-approval.
    PreApprovalContent,
}

impl Condition {
    /// Every condition.
    pub const ALL: &'static [Condition] = &[
        Condition::SubjectPrincipalNotLegalRepresentative,
        Condition::WebsitePrincipalNotLegalRepresentative,
        Condition::DomainHolderNotSubject,
        Condition::NonLocalIndividual,
        Condition::DomainsInOrderAtLeast,
        Condition::Minor,
        Condition::PreApprovalContent,
    ];
}

/// How a province treats individuals whose ID was issued elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonLocalPolicy {
    /// Only IDs issued in the province.
    NotAccepted,
    /// Accepted with a residence (or temporary residence) permit.
    ResidencePermit,
    /// Accepted with proof of study, work or life in the province.
    ProofOfResidence,
}

/// What a principal younger than a province's minimum age may file with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeProof {
    /// Proof of the principal's own employment or income (Jiangsu, Guangdong).
    EmploymentOrIncome,
    /// The guardian's ID card (Henan, individuals).
    GuardianId,
}

impl AgeProof {
    /// The wire name, as in the pack files and the findings' `proof` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeProof::EmploymentOrIncome => "employment_or_income",
            AgeProof::GuardianId => "guardian_id",
        }
    }
}

/// Word lists for website names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum WordList {
    /// Never allowed.
    Sensitive,
    /// Not at the start of a non-state body's site name.
    ReservedPrefix,
    /// Not anywhere in an individual's site name.
    Individual,
    /// Not at the end of an individual's site name ("XX资讯").
    IndividualSuffix,
    /// Not in an individual's site name in the rule's provinces.
    ProvinceIndividual,
    /// Trigger a pre-approval question (finance and the like).
    PreApprovalTrigger,
}

impl WordList {
    pub const ALL: [WordList; 6] = [
        WordList::Sensitive,
        WordList::ReservedPrefix,
        WordList::Individual,
        WordList::IndividualSuffix,
        WordList::ProvinceIndividual,
        WordList::PreApprovalTrigger,
    ];
}

/// What a rule asks for (in the data files, `kind` names the variant).
///
/// `build.rs` reads this definition: a variant is a `kind`, in snake case, and its fields are
/// the entry's other fields, of these types only: `u32`, `bool`, `&'static str`, an enum of
/// unit variants, `Option` and `&'static [_]` of those. An `Option` field may be left out.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// MIIT SMS verification within `hours` after submission to the administration.
    SmsVerification { hours: u32, verifier: Verifier },
    /// Who answers the MIIT's SMS on the rule's paths.
    SmsVerifier { verifier: Verifier },
    /// A verification step (photo, face, an administration's app, the filing password…).
    Verification { step: VerificationStep, verifier: Verifier },
    /// A document to upload or a form to sign; `condition` makes it conditional.
    Document { document: DocumentKind, condition: Option<Condition>, threshold: Option<u32> },
    /// At most `max` websites in one order.
    MaxWebsitesPerOrder { max: u32 },
    /// Principals must be at least `years` old; younger ones need `proof` down to
    /// `with_proof_from` (both given, or neither).
    MinimumAge { years: u32, with_proof_from: Option<u32>, proof: Option<AgeProof> },
    /// How individuals from other provinces are treated.
    NonLocalIndividuals { policy: NonLocalPolicy },
    /// Principals' mobiles must belong to the province's number segment (checked on submit).
    LocalMobile,
    /// Subject principal and website principal must be different people.
    PrincipalsMustDiffer,
    /// When the subject principal is not the legal representative, every website principal
    /// must be the subject principal.
    PrincipalsSameIfNotLegalRepresentative,
    /// Foreigners are not accepted as individuals or principals.
    ForeignersNotAccepted,
    /// Principals' ID documents must be valid for more than `days` after submission.
    DocumentValidity { days: u32 },
    /// The provider's initial review takes about this many working days.
    ProviderReview { working_days: u32 },
    /// The administration's review takes between these many working days.
    AuthorityReview { min_working_days: u32, max_working_days: u32 },
    /// Top-level domains approved for filing.
    ApprovedTlds { tlds: &'static [&'static str] },
    /// Top-level domains that cannot be filed.
    RejectedTlds { tlds: &'static [&'static str] },
    /// Subject types that must use one of these suffixes.
    RequiredTlds { tlds: &'static [&'static str] },
    /// A website-name word list.
    WebsiteNameWords { list: WordList, words: &'static [&'static str] },
    /// Content of this category needs a pre-approval licence.
    PreApproval { category: ContentCategory },
    /// Orders not finished within `days` are closed.
    OrderTimeout { days: u32 },
    /// In these provinces an empty-shell subject may add services without cancelling first.
    EmptyShellMayAddServices,
    /// Content of these categories needs an ICP Commercial License, after the filing.
    CommercialLicense { categories: &'static [ContentCategory] },
    /// What every website name must be: at least `min_chinese` Chinese characters, not only
    /// Latin letters and digits, no symbols, not the domain.
    WebsiteNameFormat { min_chinese: u32 },
    /// An individual's website name must end with one of these (Jiangsu: "XX的个人博客").
    WebsiteNamePattern { suffixes: &'static [&'static str] },
    /// Individuals may not file websites with content of these categories.
    IndividualForbiddenContent { categories: &'static [ContentCategory] },
    /// The subject's addresses must name the filing province.
    AddressNamesProvince,
    /// The domain must stay registered for more than `months` after submission.
    DomainValidity { months: u32 },
    /// The domain must not resolve to the provider's servers before the filing is approved.
    NoResolutionBeforeApproval,
    /// The public security filing (公安联网备案) within `days` of the website going live.
    PublicSecurityFiling { days: u32 },
    /// After approval, every website shows its ICP filing number at the foot of its home page,
    /// linked to the MIIT filing system (https://beian.miit.gov.cn).
    FooterNumber,
    /// Apps and mini-programs need a filing.
    AppFiling,
    /// Mainland mobile number ranges that can take the MIIT's text messages (by prefix).
    MobileSegments { prefixes: &'static [&'static str] },
    /// Something that must happen before an order of the rule's paths can start.
    PathBlocker { blocker: Blocker },
    /// The earliest date the sources reach for these checks: before it, the checks answer
    /// with `rules.before_sources`.
    SourcesReach { checks: &'static [Check] },
}

/// What must happen before an order can start (the path finder's blockers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// One open order per subject.
    OpenOrder,
    /// A change cannot ride along with new websites.
    ChangeWithAdd,
    /// A change or a cancellation needs something filed here.
    NothingFiledHere,
    /// The subject's first filing is still pending elsewhere.
    SubjectFirstFilingPending,
    /// The domain is filed under another subject.
    DomainFiledByOtherSubject,
    /// A transfer first, new websites after.
    TransferBeforeAdd,
    /// An empty-shell subject adds services only where the province allows it.
    EmptyShell,
    /// A filing on the old HiChina platform is imported into an account first.
    HichinaImportFirst,
    /// A subject filed with this provider applies from the account it filed with.
    SubjectInOtherAccount,
}

/// The checks whose sources begin on a date ([`Effect::SourcesReach`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    NeedFiling,
    DeterminePath,
    Requirements,
    ValidateApplication,
    WebsiteName,
    Domain,
    Mobile,
}

impl Rule {
    /// True on `date`.
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_until.is_none_or(|until| date < until)
    }

    /// True for `province` (empty list: all mainland provinces).
    pub fn covers_province(&self, province: Province) -> bool {
        if self.provinces.is_empty() { province.is_mainland() } else { self.provinces.contains(&province) }
    }

    /// True for `subject` (empty list: all).
    pub fn covers_subject(&self, subject: SubjectType) -> bool {
        self.subject_types.is_empty() || self.subject_types.contains(&subject)
    }

    /// True for `path` (empty list: every path with an order).
    pub fn covers_path(&self, path: FilingPath) -> bool {
        if self.paths.is_empty() { path.has_order() } else { self.paths.contains(&path) }
    }
}

/// A filter for [`active`]; `None` fields match every rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub province: Option<Province>,
    pub subject: Option<SubjectType>,
    pub path: Option<FilingPath>,
}

/// Every entry of `data/*.toml`, in the order of the files (sorted by name) and of the entries
/// in each: written by `build.rs`.
static PACK: &[Rule] = include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A date of the pack. Only `PACK`'s initialiser calls it, and the compiler evaluates a
/// `static`'s initialiser while it builds the crate: a day that does not exist (2019-02-30)
/// stops the build with `at` (the data file, the entry, the field) and never reaches run time,
/// where this function is not called. `build.rs` has already checked that it is written
/// `YYYY-MM-DD`.
#[allow(clippy::panic)]
const fn date(year: i32, month: u32, day: u32, at: &str) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("{}", at),
    }
}

/// Every rule pack entry, with its citation.
pub fn rules() -> &'static [Rule] {
    PACK
}

/// True when `rule` holds on `date` within `scope`.
fn in_force(rule: &Rule, date: NaiveDate, scope: Scope) -> bool {
    rule.holds_on(date)
        && scope.province.is_none_or(|p| rule.covers_province(p))
        && scope.subject.is_none_or(|s| rule.covers_subject(s))
        && scope.path.is_none_or(|p| rule.covers_path(p))
}

/// The rules that hold on `date` within `scope`.
pub fn active(date: NaiveDate, scope: Scope) -> impl Iterator<Item = &'static Rule> {
    let candidates: &[&'static Rule] = match scope.province {
        Some(p) => INDEX.by_province.get(p as usize).map(Vec::as_slice).unwrap_or_default(),
        None => &INDEX.all,
    };
    candidates.iter().copied().filter(move |r| in_force(r, date, scope))
}

/// A rule by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.id == id)
}

/// The earliest date the sources reach for `check`, and the entry that says so.
pub fn sources_reach(check: Check) -> Option<&'static Rule> {
    INDEX
        .reach
        .iter()
        .copied()
        .filter(|r| matches!(&r.effect, Effect::SourcesReach { checks } if checks.contains(&check)))
        .min_by_key(|r| r.effective_from)
}

/// The mobile-range lists in force on `date`.
pub fn mobile_ranges(date: NaiveDate) -> impl Iterator<Item = &'static Rule> {
    INDEX.mobiles.iter().copied().filter(move |r| r.holds_on(date))
}

/// The website-name format and pattern rules in force on `date` within `scope`.
pub fn name_rules(date: NaiveDate, scope: Scope) -> impl Iterator<Item = &'static Rule> {
    INDEX.names.iter().copied().filter(move |r| in_force(r, date, scope))
}

/// `rules.before_sources` when `date` is before the sources for `check` reach: the check's
/// answer on such a date rests on no source and says so.
pub fn before_sources(check: Check, date: NaiveDate) -> Option<crate::problem::Finding> {
    let rule = sources_reach(check)?;
    (date < rule.effective_from).then(|| {
        crate::problem::Finding::error(crate::problem::Code::BeforeSources).with("from", rule.effective_from).by_rule(rule.id)
    })
}

/// The first active rule of `blocker` on `date` (the blocker holds only while one does).
pub fn blocker_rule(blocker: Blocker, date: NaiveDate, scope: Scope) -> Option<&'static Rule> {
    active(date, scope).find(|r| matches!(r.effect, Effect::PathBlocker { blocker: b } if b == blocker))
}

/// The entries that every validation looks up, so that a lookup does not walk the whole pack:
/// the rules of each province, the words of each word list by their first characters, and
/// the domain suffix lists.
struct Index {
    all: Vec<&'static Rule>,
    /// By `Province as usize`: the rules that cover the province.
    by_province: Vec<Vec<&'static Rule>>,
    /// The first characters of every list's words (sorted, each numbered by its position): a
    /// text none of whose characters is among them contains no word of any list. A text's
    /// characters are looked up here, one hash each.
    first_at: std::collections::HashMap<char, usize, rustc_hash::FxBuildHasher>,
    /// By `WordList as usize`, then by the position `first_at` gives: the list's words that start with
    /// that character, in the order of the data files.
    words: [Vec<Vec<WordEntry>>; WordList::ALL.len()],
    tlds: Vec<&'static Rule>,
    /// How far the sources reach, per check.
    reach: Vec<&'static Rule>,
    /// The mobile-range lists.
    mobiles: Vec<&'static Rule>,
    /// The website-name format and pattern rules.
    names: Vec<&'static Rule>,
}

/// One word of a word list, with its rule and its place among all the lists' words.
struct WordEntry {
    word: &'static str,
    rule: &'static Rule,
    /// The order of the data files.
    seq: usize,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let all: Vec<&'static Rule> = rules().iter().collect();
    let by_province = Province::ALL.iter().map(|p| all.iter().copied().filter(|r| r.covers_province(*p)).collect()).collect();
    // Every word of every list, in the order of the data files. An empty word matches nothing.
    let listed: Vec<(WordList, &'static str, char, &'static Rule)> = rules()
        .iter()
        .flat_map(|rule| match &rule.effect {
            Effect::WebsiteNameWords { list, words } => {
                words.iter().filter_map(|w| Some((*list, *w, w.chars().next()?, rule))).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let mut firsts: Vec<char> = listed.iter().map(|(_, _, first, _)| *first).collect();
    firsts.sort_unstable();
    firsts.dedup();
    let first_at = firsts.iter().enumerate().map(|(at, c)| (*c, at)).collect();
    let mut words: [Vec<Vec<WordEntry>>; WordList::ALL.len()] = Default::default();
    for list in &mut words {
        list.resize_with(firsts.len(), Vec::new);
    }
    for (seq, (list, word, first, rule)) in listed.into_iter().enumerate() {
        let at = firsts.binary_search(&first).ok();
        if let Some(bucket) = at.and_then(|at| words.get_mut(list as usize)?.get_mut(at)) {
            bucket.push(WordEntry { word, rule, seq });
        }
    }
    let tlds = rules()
        .iter()
        .filter(|r| matches!(r.effect, Effect::ApprovedTlds { .. } | Effect::RejectedTlds { .. } | Effect::RequiredTlds { .. }))
        .collect();
    let of = |wanted: fn(&Effect) -> bool| rules().iter().filter(|r| wanted(&r.effect)).collect::<Vec<_>>();
    let reach = of(|e| matches!(e, Effect::SourcesReach { .. }));
    let mobiles = of(|e| matches!(e, Effect::MobileSegments { .. }));
    let names = of(|e| matches!(e, Effect::WebsiteNameFormat { .. } | Effect::WebsiteNamePattern { .. }));
    Index { all, by_province, first_at, words, tlds, reach, mobiles, names }
});

/// The characters of a text that some word of some list starts with, each once, as places in
/// the index: the only ones worth looking up with [`words_starting_with`] (most texts have none).
#[derive(Clone, Debug, Default)]
pub struct WordStarts(Vec<usize>);

impl WordStarts {
    /// True when no word of any list starts with a character of the text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The characters of `text` that some word of some list starts with.
pub fn word_starts(text: &str) -> WordStarts {
    let index = &*INDEX;
    let mut starts = Vec::new();
    for at in text.chars().filter_map(|c| index.first_at.get(&c).copied()) {
        if !starts.contains(&at) {
            starts.push(at);
        }
    }
    WordStarts(starts)
}

/// The words of the active lists of kind `list` in scope that start with one of `starts`, in
/// the order of the data files. A caller looking for the words a text contains passes the
/// starts of the whole text; one looking for a prefix, those of its first character.
pub fn words_starting_with(
    starts: &WordStarts,
    date: NaiveDate,
    scope: Scope,
    list: WordList,
) -> Vec<(&'static str, &'static Rule)> {
    let Some(buckets) = INDEX.words.get(list as usize) else { return Vec::new() };
    let mut found: Vec<&WordEntry> = Vec::new();
    for &at in &starts.0 {
        for entry in buckets.get(at).map(Vec::as_slice).unwrap_or_default() {
            if in_force(entry.rule, date, scope) {
                // Each bucket is in file order; entries of several buckets are merged.
                let slot = found.partition_point(|f| f.seq < entry.seq);
                found.insert(slot, entry);
            }
        }
    }
    found.into_iter().map(|e| (e.word, e.rule)).collect()
}

/// The active lists of approved, rejected and required domain suffixes in scope.
pub fn suffix_rules(date: NaiveDate, scope: Scope) -> impl Iterator<Item = &'static Rule> {
    INDEX.tlds.iter().copied().filter(move |r| in_force(r, date, scope))
}
