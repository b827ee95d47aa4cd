//! Is a filing needed, can this instance be used, is an ICP Commercial License needed.
//!
//! Instance rules depend on the provider: they are a [`ProviderPolicy`], dated data that the
//! operator passes as a file (`data/provider-policy.toml` is the format and the built-in
//! default: the seed documents' provider, Alibaba Cloud, over time — 2017's forum answer,
//! the 2018-2019 products with three months **remaining**, the 2022 IoT packages, and
//! today's ECS and Simple Application Server with three months **bought in total**).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::pack::{self, Check, Effect, Scope};
use crate::problem::{Code, Finding};
use crate::types::{Billing, ContentCategory, Instance, Product, Province};

/// How a product's subscription length is counted (facts §8, conflict 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionRule {
    /// At least `min_months` left on the day of the check (Alibaba 2018, the seeds).
    Remaining,
    /// At least `min_months` bought in total, renewals included (Alibaba 2026, Huawei 2025).
    Total,
}

/// One product's terms under a provider's policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPolicy {
    pub product: Product,
    pub min_months: u32,
    pub subscription_rule: SubscriptionRule,
    /// Service codes per instance (never returned).
    pub service_codes: u32,
    #[serde(default)]
    pub requires_public_bandwidth: bool,
    /// A single order of at least this many US cents (seed 004: IoT packages, USD 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_single_order_usd_cents: Option<u32>,
}

/// The products and terms of one period of a provider's policy, with its source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPeriod {
    /// Stable id (`alibaba_2026`).
    pub id: String,
    /// Where the terms come from, with the source's date.
    pub source: String,
    /// First day the terms hold.
    pub effective_from: NaiveDate,
    /// First day they no longer hold; none while they are current.
    #[serde(default)]
    pub effective_until: Option<NaiveDate>,
    /// Where sources conflict: what was chosen, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    /// The products a site can be filed on; any other product is not eligible.
    #[serde(default, rename = "product")]
    pub products: Vec<ProductPolicy>,
}

impl PolicyPeriod {
    /// True on `date`.
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_until.is_none_or(|until| date < until)
    }
}

/// A provider's policy: which products can be filed on and on what terms, period by period,
/// and where its regions are. The operator passes it as a file ([`ProviderPolicy::from_toml`],
/// with the `policy-file` feature); [`ProviderPolicy::default`] is `data/provider-policy.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPolicy {
    /// Whose policy it is.
    #[serde(default)]
    pub provider: String,
    /// The policy over time, oldest first; periods do not overlap.
    #[serde(rename = "period")]
    pub periods: Vec<PolicyPeriod>,
    /// Region id → place.
    #[serde(default)]
    pub regions: BTreeMap<String, Province>,
}

/// Why a policy file was refused (the operator reads it at start-up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// Not TOML, or not the format of `data/provider-policy.toml`.
    Format(String),
    /// A period without any product, or ending before it starts.
    Period(String),
    /// Two periods hold on the same day.
    Overlap(String, String),
    /// A product listed twice in one period.
    DuplicateProduct(String),
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Format(e) => write!(f, "provider policy: {e}"),
            PolicyError::Period(id) => write!(f, "provider policy: period {id} has no product or ends before it starts"),
            PolicyError::Overlap(a, b) => write!(f, "provider policy: periods {a} and {b} overlap"),
            PolicyError::DuplicateProduct(id) => write!(f, "provider policy: period {id} lists a product twice"),
        }
    }
}

impl std::error::Error for PolicyError {}

/// The built-in policy: `data/provider-policy.toml`, turned into JSON at build time.
static DEFAULT_POLICY: LazyLock<ProviderPolicy> = LazyLock::new(|| {
    // `default_policy_loads` in the tests guarantees that it parses and checks.
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/provider_policy.json")))
        .ok()
        .and_then(|p: ProviderPolicy| p.checked().ok())
        .unwrap_or(ProviderPolicy { provider: String::new(), periods: Vec::new(), regions: BTreeMap::new() })
});

impl Default for ProviderPolicy {
    /// The seed documents' provider over time (`data/provider-policy.toml`).
    fn default() -> Self {
        DEFAULT_POLICY.clone()
    }
}

impl ProviderPolicy {
    /// Parses an operator's policy file, in the format of `data/provider-policy.toml` (dates as
    /// quoted strings, `"2026-06-26"`), and checks it: each period has products and ends after
    /// it starts, no two periods overlap, no product twice in a period. The backend reads the
    /// file the operator names (`--policy FILE`) and calls this; the app never does.
    #[cfg(feature = "policy-file")]
    pub fn from_toml(text: &str) -> Result<ProviderPolicy, PolicyError> {
        let policy: ProviderPolicy = toml::from_str(text).map_err(|e| {
            // One line: the message and where (toml's own rendering draws the line).
            let line = e.span().map(|s| text.get(..s.start).unwrap_or_default().matches('\n').count() + 1);
            PolicyError::Format(match line {
                Some(line) => format!("line {line}: {}", e.message().trim()),
                None => e.message().trim().to_owned(),
            })
        })?;
        policy.checked()
    }

    /// The policy, sorted by date, if it is consistent.
    pub fn checked(mut self) -> Result<ProviderPolicy, PolicyError> {
        self.periods.sort_by_key(|p| p.effective_from);
        for period in &self.periods {
            if period.products.is_empty() || period.effective_until.is_some_and(|u| u <= period.effective_from) {
                return Err(PolicyError::Period(period.id.clone()));
            }
            let mut products: Vec<Product> = period.products.iter().map(|p| p.product).collect();
            products.sort_unstable();
            if products.windows(2).any(|w| matches!(w, [a, b] if a == b)) {
                return Err(PolicyError::DuplicateProduct(period.id.clone()));
            }
        }
        for pair in self.periods.windows(2) {
            if let [a, b] = pair
                && a.effective_until.is_none_or(|until| until > b.effective_from)
            {
                return Err(PolicyError::Overlap(a.id.clone(), b.id.clone()));
            }
        }
        Ok(self)
    }

    /// The period in force on `date`.
    pub fn period(&self, date: NaiveDate) -> Option<&PolicyPeriod> {
        self.periods.iter().find(|p| p.holds_on(date))
    }

    /// The terms for `product` on `date`, if it can be filed on then at all.
    pub fn product(&self, product: Product, date: NaiveDate) -> Option<&ProductPolicy> {
        self.period(date)?.products.iter().find(|p| p.product == product)
    }

    /// Where a region id is.
    pub fn region(&self, id: &str) -> Option<Province> {
        self.regions.get(id).copied()
    }
}

/// The eligibility of one instance on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceEligibility {
    pub eligible: bool,
    /// Where the instance is, if its region is known.
    pub location: Option<Province>,
    /// Service codes that can still be applied for.
    pub service_codes_left: u32,
    pub findings: Vec<Finding>,
}

/// Checks an instance against `policy` on `date`.
pub fn check_instance(instance: &Instance, policy: &ProviderPolicy, date: NaiveDate) -> InstanceEligibility {
    let mut findings = Vec::new();
    let location = policy.region(&instance.region);
    match location {
        None => findings.push(Finding::error(Code::InstanceUnknownRegion).with("region", &instance.region)),
        Some(p) if !p.is_mainland() => findings.push(Finding::error(Code::InstanceNotMainland).with("location", p.code())),
        Some(_) => {}
    }
    // Before the policy's first period nothing says which products could be filed on.
    let Some(period) = policy.period(date) else {
        if let Some(first) = policy.periods.first().filter(|p| date < p.effective_from) {
            findings.push(Finding::error(Code::BeforeSources).with("from", first.effective_from).by_rule(&first.id));
        } else {
            findings.push(Finding::error(Code::InstanceProductNotEligible));
        }
        return InstanceEligibility { eligible: false, location, service_codes_left: 0, findings };
    };
    let Some(terms) = period.products.iter().find(|p| p.product == instance.product) else {
        findings.push(Finding::error(Code::InstanceProductNotEligible).by_rule(&period.id));
        return InstanceEligibility { eligible: false, location, service_codes_left: 0, findings };
    };
    let by_period = |f: Finding| f.by_rule(&period.id);
    match instance.billing {
        // Seed 002: a free-trial instance gets no service code.
        Billing::FreeTrial => findings.push(by_period(Finding::error(Code::InstanceFreeTrial))),
        Billing::PayAsYouGo => findings.push(by_period(Finding::error(Code::InstancePayAsYouGo).with("min_months", terms.min_months))),
        Billing::Subscription => match instance.subscription_end {
            None => findings.push(by_period(Finding::error(Code::InstancePayAsYouGo).with("min_months", terms.min_months))),
            Some(end) if end <= date => findings.push(Finding::error(Code::InstanceExpired).with("end", end)),
            Some(end) => {
                let (from, code) = match terms.subscription_rule {
                    SubscriptionRule::Remaining => (date, Code::InstanceRemainingTooShort),
                    SubscriptionRule::Total => (instance.subscription_start, Code::InstanceSubscriptionTooShort),
                };
                let needed = from.checked_add_months(Months::new(terms.min_months)).unwrap_or(NaiveDate::MAX);
                if end < needed {
                    findings.push(by_period(
                        Finding::error(code).with("min_months", terms.min_months).with("end", end).with("renew_until", needed),
                    ));
                }
            }
        },
    }
    if let Some(min) = terms.min_single_order_usd_cents
        && instance.single_order_usd_cents.is_none_or(|paid| paid < min)
    {
        findings.push(by_period(Finding::error(Code::InstanceOrderTooSmall).with("min_usd", format!("{}.{:02}", min / 100, min % 100))));
    }
    if terms.requires_public_bandwidth && instance.public_bandwidth_mbps == 0 {
        findings.push(Finding::error(Code::InstanceNoPublicBandwidth));
    }
    let left = terms.service_codes.saturating_sub(instance.service_codes_issued);
    if left == 0 {
        findings.push(by_period(Finding::error(Code::InstanceNoCodesLeft).with("quota", terms.service_codes)));
    }
    let eligible = crate::problem::passes(&findings);
    InstanceEligibility { eligible, location, service_codes_left: left, findings }
}

/// Where the site's server is, as the applicant describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hosting {
    /// A cloud server (ECS and the like) of this provider.
    ProviderServer,
    /// The applicant's own server or data centre.
    OwnServer,
    /// Only object storage (OSS) with a custom domain.
    ObjectStorageOnly,
    /// Only a CDN in front of a server elsewhere.
    CdnOnly,
    /// Only a mobile app or a mini-program, no website.
    AppOnly,
}

/// The questions of the need-a-filing check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedQuestions {
    /// Where the server (or the CDN's nodes serving the site) is.
    pub location: Province,
    pub hosting: Hosting,
    /// The site sells online or takes payments.
    #[serde(default)]
    pub e_commerce: bool,
}

/// The answer of the need-a-filing check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedAnswer {
    pub filing_needed: bool,
    /// Why, as a code the app explains.
    pub reason: Finding,
    /// An ICP Commercial License is needed as well (after the filing).
    pub commercial_license: Option<Finding>,
    /// About the answer itself: the date is before the sources reach (`rules.before_sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Finding>,
}

/// Is a filing needed on `date`? (Seeds 002, 003: mainland servers and mainland CDNs need one;
/// Hong Kong and overseas servers need none and cannot be filed; own servers file through
/// their ISP; apps and mini-programs need one since 2023-09-01, `data/need.toml`.)
pub fn need_filing(q: NeedQuestions, date: NaiveDate) -> NeedAnswer {
    let app_filing = pack::active(date, Scope::default()).find(|r| matches!(r.effect, Effect::AppFiling));
    let reason = if !q.location.is_mainland() {
        Finding::warning(Code::NeedNotMainland).with("location", q.location.code())
    } else {
        match (q.hosting, app_filing) {
            (Hosting::ProviderServer, _) => Finding::warning(Code::NeedMainlandServer),
            (Hosting::OwnServer, _) => Finding::warning(Code::NeedOwnServerIsp),
            (Hosting::ObjectStorageOnly, _) => Finding::warning(Code::NeedOssCustomDomain),
            (Hosting::CdnOnly, _) => Finding::warning(Code::NeedMainlandCdn),
            (Hosting::AppOnly, Some(rule)) => Finding::warning(Code::NeedAppFiling).by_rule(rule.id),
            (Hosting::AppOnly, None) => Finding::warning(Code::NeedAppOnly),
        }
    };
    let filing_needed = q.location.is_mainland() && (q.hosting != Hosting::AppOnly || app_filing.is_some());
    let commercial_license = if filing_needed && q.e_commerce { commercial_license_needed(&[ContentCategory::ECommerce], date) } else { None };
    NeedAnswer { filing_needed, reason, commercial_license, notes: pack::before_sources(Check::NeedFiling, date).into_iter().collect() }
}

/// An ICP Commercial License (ICP证) is needed for content of the categories the rule in force
/// lists (seed 001, 2018-04-18: e-commerce and online payments), and requires the filing first.
pub fn commercial_license_needed(categories: &[ContentCategory], date: NaiveDate) -> Option<Finding> {
    pack::active(date, Scope::default()).find_map(|r| match &r.effect {
        Effect::CommercialLicense { categories: licensed } if categories.iter().any(|c| licensed.contains(c)) => {
            Some(Finding::warning(Code::CommercialLicenseRequired).by_rule(r.id))
        }
        _ => None,
    })
}
