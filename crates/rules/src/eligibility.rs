//! Is a filing needed, can this instance be used, is an ICP Commercial License needed.
//!
//! Instance rules depend on the provider: they are a [`ProviderPolicy`] (configuration), whose
//! default is what the seed documents say (Alibaba Cloud, 2018): ECS and similar products,
//! subscription only, at least three months **remaining**, public bandwidth, not expired,
//! mainland region, five single-use service codes per instance.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::problem::{Code, Finding};
use crate::regions::DEFAULT_REGIONS;
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
    pub requires_public_bandwidth: bool,
}

/// A provider's policy: which products can be filed on and on what terms, and where its
/// regions are. Loaded from configuration by the backend; [`ProviderPolicy::default`] is the
/// seed documents' policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPolicy {
    pub products: Vec<ProductPolicy>,
    /// Region id → place.
    pub regions: BTreeMap<String, Province>,
}

impl Default for ProviderPolicy {
    /// Alibaba Cloud as the seeds describe it: ECS (2018-04, 2018-10), Simple Application
    /// Server, web hosting, ENS: 3 months, 5 codes; Elastic Web Hosting 6 months; NAT Gateway
    /// and IPv6 Translation 1 month, 2 codes; Marketplace site products 12 months, 1 code.
    /// SLB and container services are not eligible (they are absent).
    fn default() -> Self {
        let p = |product, min_months, service_codes, requires_public_bandwidth| ProductPolicy {
            product,
            min_months,
            subscription_rule: SubscriptionRule::Remaining,
            service_codes,
            requires_public_bandwidth,
        };
        ProviderPolicy {
            products: vec![
                p(Product::Ecs, 3, 5, true),
                p(Product::SimpleApplicationServer, 3, 5, true),
                p(Product::WebHosting, 3, 5, false),
                p(Product::EdgeNodeService, 3, 5, true),
                p(Product::ElasticWebHosting, 6, 5, false),
                p(Product::NatGateway, 1, 2, false),
                p(Product::Ipv6Translation, 1, 2, false),
                p(Product::MarketplaceSite, 12, 1, false),
            ],
            regions: DEFAULT_REGIONS.iter().map(|(id, p)| ((*id).to_owned(), *p)).collect(),
        }
    }
}

impl ProviderPolicy {
    /// The terms for `product`, if it can be filed on at all.
    pub fn product(&self, product: Product) -> Option<&ProductPolicy> {
        self.products.iter().find(|p| p.product == product)
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
    let Some(terms) = policy.product(instance.product) else {
        findings.push(Finding::error(Code::InstanceProductNotEligible));
        return InstanceEligibility { eligible: false, location, service_codes_left: 0, findings };
    };
    if instance.billing == Billing::PayAsYouGo {
        findings.push(Finding::error(Code::InstancePayAsYouGo).with("min_months", terms.min_months));
    } else {
        match instance.subscription_end {
            None => findings.push(Finding::error(Code::InstancePayAsYouGo).with("min_months", terms.min_months)),
            Some(end) if end <= date => findings.push(Finding::error(Code::InstanceExpired).with("end", end)),
            Some(end) => {
                let (from, code) = match terms.subscription_rule {
                    SubscriptionRule::Remaining => (date, Code::InstanceRemainingTooShort),
                    SubscriptionRule::Total => (instance.subscription_start, Code::InstanceSubscriptionTooShort),
                };
                let needed = from.checked_add_months(Months::new(terms.min_months)).unwrap_or(NaiveDate::MAX);
                if end < needed {
                    findings.push(
                        Finding::error(code)
                            .with("min_months", terms.min_months)
                            .with("end", end)
                            .with("renew_until", needed),
                    );
                }
            }
        }
    }
    if terms.requires_public_bandwidth && instance.public_bandwidth_mbps == 0 {
        findings.push(Finding::error(Code::InstanceNoPublicBandwidth));
    }
    let left = terms.service_codes.saturating_sub(instance.service_codes_issued);
    if left == 0 {
        findings.push(Finding::error(Code::InstanceNoCodesLeft).with("quota", terms.service_codes));
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
    /// Only a mobile app, no website.
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
}

/// Is a filing needed? (seeds 002, 003: mainland servers and mainland CDNs need one; Hong Kong
/// and overseas servers need none and cannot be filed; own servers file through their ISP.)
pub fn need_filing(q: NeedQuestions) -> NeedAnswer {
    let reason = if !q.location.is_mainland() {
        Finding::warning(Code::NeedNotMainland).with("location", q.location.code())
    } else {
        match q.hosting {
            Hosting::ProviderServer => Finding::warning(Code::NeedMainlandServer),
            Hosting::OwnServer => Finding::warning(Code::NeedOwnServerIsp),
            Hosting::ObjectStorageOnly => Finding::warning(Code::NeedOssCustomDomain),
            Hosting::CdnOnly => Finding::warning(Code::NeedMainlandCdn),
            Hosting::AppOnly => Finding::warning(Code::NeedAppOnly),
        }
    };
    let filing_needed = q.location.is_mainland() && q.hosting != Hosting::AppOnly;
    let commercial_license = (filing_needed && q.e_commerce).then(commercial_license_finding);
    NeedAnswer { filing_needed, reason, commercial_license }
}

fn commercial_license_finding() -> Finding {
    Finding::warning(Code::CommercialLicenseRequired).by_rule("seed.icp_commercial_license_2018")
}

/// An ICP Commercial License (ICP证) is needed for e-commerce and online payments, and
/// requires the ICP filing first (seed 001, 2018-04-18).
pub fn commercial_license_needed(categories: &[ContentCategory]) -> Option<Finding> {
    categories.contains(&ContentCategory::ECommerce).then(commercial_license_finding)
}
