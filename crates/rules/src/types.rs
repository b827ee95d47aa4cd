//! Domain types shared by the app, the API and the backend. The serde names are the
//! vocabulary of `PRODUCT.md` and the stable API.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! province_table {
    ($($variant:ident = $code:literal, $zh:literal, $en:literal, $gb:literal, [$($icp:literal),*];)*) => {
        /// A place a server or a subject can be: the 31 mainland provinces (ISO 3166-2:CN),
        /// Hong Kong, Macao, Taiwan, and anywhere else (`overseas`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Province { $(#[serde(rename = $code)] $variant,)* }

        impl Province {
            /// Every place, mainland provinces first.
            pub const ALL: &'static [Province] = &[$(Province::$variant,)*];

            /// ISO 3166-2:CN code (`CN-BJ`), or `overseas`.
            pub fn code(self) -> &'static str { match self { $(Province::$variant => $code,)* } }

            /// Chinese name as written in addresses (`北京市`).
            pub fn name_zh(self) -> &'static str { match self { $(Province::$variant => $zh,)* } }

            /// English name.
            pub fn name_en(self) -> &'static str { match self { $(Province::$variant => $en,)* } }

            /// The first two digits of GB/T 2260 region codes in this place (resident IDs, USCCs).
            pub fn gb2260_prefix(self) -> &'static str { match self { $(Province::$variant => $gb,)* } }

            /// The characters that open this province's ICP numbers (standard and alternates).
            pub fn icp_chars(self) -> &'static [&'static str] { match self { $(Province::$variant => &[$($icp),*],)* } }

            /// Parses the code.
            pub fn parse(code: &str) -> Option<Province> { match code { $($code => Some(Province::$variant),)* _ => None } }
        }
    };
}

province_table! {
    Beijing = "CN-BJ", "北京市", "Beijing", "11", ["京"];
    Tianjin = "CN-TJ", "天津市", "Tianjin", "12", ["津"];
    Hebei = "CN-HE", "河北省", "Hebei", "13", ["冀"];
    Shanxi = "CN-SX", "山西省", "Shanxi", "14", ["晋"];
    InnerMongolia = "CN-NM", "内蒙古自治区", "Inner Mongolia", "15", ["蒙"];
    Liaoning = "CN-LN", "辽宁省", "Liaoning", "21", ["辽"];
    Jilin = "CN-JL", "吉林省", "Jilin", "22", ["吉"];
    Heilongjiang = "CN-HL", "黑龙江省", "Heilongjiang", "23", ["黑"];
    Shanghai = "CN-SH", "上海市", "Shanghai", "31", ["沪"];
    Jiangsu = "CN-JS", "江苏省", "Jiangsu", "32", ["苏"];
    Zhejiang = "CN-ZJ", "浙江省", "Zhejiang", "33", ["浙"];
    Anhui = "CN-AH", "安徽省", "Anhui", "34", ["皖"];
    Fujian = "CN-FJ", "福建省", "Fujian", "35", ["闽"];
    Jiangxi = "CN-JX", "江西省", "Jiangxi", "36", ["赣"];
    Shandong = "CN-SD", "山东省", "Shandong", "37", ["鲁"];
    Henan = "CN-HA", "河南省", "Henan", "41", ["豫"];
    Hubei = "CN-HB", "湖北省", "Hubei", "42", ["鄂"];
    Hunan = "CN-HN", "湖南省", "Hunan", "43", ["湘"];
    Guangdong = "CN-GD", "广东省", "Guangdong", "44", ["粤"];
    Guangxi = "CN-GX", "广西壮族自治区", "Guangxi", "45", ["桂"];
    Hainan = "CN-HI", "海南省", "Hainan", "46", ["琼"];
    Chongqing = "CN-CQ", "重庆市", "Chongqing", "50", ["渝"];
    Sichuan = "CN-SC", "四川省", "Sichuan", "51", ["川", "蜀"];
    Guizhou = "CN-GZ", "贵州省", "Guizhou", "52", ["贵", "黔"];
    Yunnan = "CN-YN", "云南省", "Yunnan", "53", ["云", "滇"];
    Tibet = "CN-XZ", "西藏自治区", "Tibet", "54", ["藏"];
    Shaanxi = "CN-SN", "陕西省", "Shaanxi", "61", ["陕"];
    Gansu = "CN-GS", "甘肃省", "Gansu", "62", ["甘", "陇"];
    Qinghai = "CN-QH", "青海省", "Qinghai", "63", ["青"];
    Ningxia = "CN-NX", "宁夏回族自治区", "Ningxia", "64", ["宁"];
    Xinjiang = "CN-XJ", "新疆维吾尔自治区", "Xinjiang", "65", ["新"];
    HongKong = "CN-HK", "香港特别行政区", "Hong Kong", "81", [];
    Macao = "CN-MO", "澳门特别行政区", "Macao", "82", [];
    Taiwan = "CN-TW", "台湾省", "Taiwan", "71", [];
    Overseas = "overseas", "境外", "Outside China", "", [];
}

impl Province {
    /// True for the 31 mainland provinces, where filing applies.
    pub fn is_mainland(self) -> bool {
        !matches!(self, Province::HongKong | Province::Macao | Province::Taiwan | Province::Overseas)
    }

    /// The mainland provinces.
    pub fn mainland() -> impl Iterator<Item = Province> {
        Province::ALL.iter().copied().filter(|p| p.is_mainland())
    }

    /// The place whose GB/T 2260 prefix opens `region_code` (also 83 for Taiwan residence permits).
    pub fn from_gb2260(region_code: &str) -> Option<Province> {
        let prefix = region_code.get(..2)?;
        if prefix == "83" {
            return Some(Province::Taiwan);
        }
        Province::ALL.iter().copied().find(|p| !p.gb2260_prefix().is_empty() && p.gb2260_prefix() == prefix)
    }

    /// The province of an ICP number's first character.
    pub fn from_icp_char(c: &str) -> Option<Province> {
        Province::ALL.iter().copied().find(|p| p.icp_chars().contains(&c))
    }
}

/// The nature of the filing subject (主办单位性质).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    /// 个人
    Individual,
    /// 企业 — incl. WFOEs and 个体工商户 (which file as enterprises).
    Enterprise,
    /// 外国企业常驻代表机构 — files with its registration certificate.
    ForeignResidentOffice,
    /// 政府机关
    Government,
    /// 事业单位
    PublicInstitution,
    /// 社会团体
    SocialOrganization,
    /// 民办非企业单位
    PrivateNonEnterprise,
    /// 基金会
    Foundation,
    /// 律师执业机构
    LawFirm,
}

impl SubjectType {
    /// Every subject type.
    pub const ALL: &'static [SubjectType] = &[
        SubjectType::Individual,
        SubjectType::Enterprise,
        SubjectType::ForeignResidentOffice,
        SubjectType::Government,
        SubjectType::PublicInstitution,
        SubjectType::SocialOrganization,
        SubjectType::PrivateNonEnterprise,
        SubjectType::Foundation,
        SubjectType::LawFirm,
    ];

    /// True for every type but individuals.
    pub fn is_organization(self) -> bool {
        self != SubjectType::Individual
    }

    /// Party and state bodies may use names opening with 中国/国家…; nobody else may.
    pub fn is_state_body(self) -> bool {
        matches!(self, SubjectType::Government | SubjectType::PublicInstitution)
    }

    /// The certificate types this subject may file with (MIIT enumeration, facts §3.1).
    pub fn certificate_types(self) -> &'static [CertificateType] {
        use CertificateType as C;
        match self {
            SubjectType::Individual => &[
                C::ResidentId,
                C::Passport,
                C::HkMacaoPermit,
                C::TaiwanPermit,
                C::ForeignPermanentResidentId,
                C::HkMacaoResidencePermit,
                C::TaiwanResidencePermit,
            ],
            SubjectType::ForeignResidentOffice => &[C::ResidentOfficeRegistration, C::Uscc],
            _ => &[C::Uscc],
        }
    }

    /// The USCC registration-authority and category characters (GB 32100 positions 1-2) that
    /// fit this subject type; empty when any is acceptable.
    pub fn uscc_prefixes(self) -> &'static [&'static str] {
        match self {
            SubjectType::Enterprise => &["91", "92", "93"],
            SubjectType::Government => &["11", "13", "19"],
            SubjectType::PublicInstitution => &["12"],
            SubjectType::SocialOrganization => &["51"],
            SubjectType::PrivateNonEnterprise => &["52"],
            SubjectType::Foundation => &["53"],
            SubjectType::LawFirm => &["31"],
            SubjectType::Individual | SubjectType::ForeignResidentOffice => &[],
        }
    }
}

/// The kind of a subject's or a person's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    /// 居民身份证 (GB 11643-1999)
    ResidentId,
    /// 统一社会信用代码 on a business licence or an organisation's certificate (GB 32100-2015)
    Uscc,
    /// 外国企业常驻代表机构登记证
    ResidentOfficeRegistration,
    /// 护照
    Passport,
    /// 港澳居民来往内地通行证
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 外国人永久居留身份证
    ForeignPermanentResidentId,
    /// 港澳居民居住证
    HkMacaoResidencePermit,
    /// 台湾居民居住证
    TaiwanResidencePermit,
}

impl CertificateType {
    /// Every certificate type.
    pub const ALL: &'static [CertificateType] = &[
        CertificateType::ResidentId,
        CertificateType::Uscc,
        CertificateType::ResidentOfficeRegistration,
        CertificateType::Passport,
        CertificateType::HkMacaoPermit,
        CertificateType::TaiwanPermit,
        CertificateType::ForeignPermanentResidentId,
        CertificateType::HkMacaoResidencePermit,
        CertificateType::TaiwanResidencePermit,
    ];

    /// Certificate types a person (a principal) may use.
    pub const PERSONAL: &'static [CertificateType] = &[
        CertificateType::ResidentId,
        CertificateType::Passport,
        CertificateType::HkMacaoPermit,
        CertificateType::TaiwanPermit,
        CertificateType::ForeignPermanentResidentId,
        CertificateType::HkMacaoResidencePermit,
        CertificateType::TaiwanResidencePermit,
    ];

    /// True for documents of people who are not mainland residents.
    pub fn is_non_mainland_person(self) -> bool {
        !matches!(self, CertificateType::ResidentId | CertificateType::Uscc | CertificateType::ResidentOfficeRegistration)
    }

    /// True for foreigners' documents.
    pub fn is_foreigner(self) -> bool {
        matches!(self, CertificateType::Passport | CertificateType::ForeignPermanentResidentId)
    }
}

/// The filing path (filing type), determined from the facts — never chosen by the applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingPath {
    /// 首次备案: neither subject nor domain has been filed.
    FirstFiling,
    /// 新增网站, subject filed with this provider.
    AddWebsite,
    /// 新增网站, subject filed with another provider.
    AddWebsiteSubjectElsewhere,
    /// 接入备案: subject and site filed elsewhere, subject never filed here ("Transfer an ICP Filing").
    TransferIn,
    /// 接入备案 for a subject already filed here ("Transfer another ICP Filing").
    TransferInExistingSubject,
    /// 变更备案
    Change,
    /// 注销网站
    CancelWebsite,
    /// 注销主体
    CancelSubject,
    /// 取消接入
    CancelTransfer,
    /// 认领备案: a HiChina filing made before June 2010.
    ClaimLegacy,
    /// Moving between this provider's servers: change DNS only.
    DnsChangeOnly,
    /// Server outside the mainland: no filing, and none is possible.
    NotRequired,
}

impl FilingPath {
    /// Every path.
    pub const ALL: &'static [FilingPath] = &[
        FilingPath::FirstFiling,
        FilingPath::AddWebsite,
        FilingPath::AddWebsiteSubjectElsewhere,
        FilingPath::TransferIn,
        FilingPath::TransferInExistingSubject,
        FilingPath::Change,
        FilingPath::CancelWebsite,
        FilingPath::CancelSubject,
        FilingPath::CancelTransfer,
        FilingPath::ClaimLegacy,
        FilingPath::DnsChangeOnly,
        FilingPath::NotRequired,
    ];

    /// The stable name (`first_filing`).
    pub fn as_str(self) -> &'static str {
        match self {
            FilingPath::FirstFiling => "first_filing",
            FilingPath::AddWebsite => "add_website",
            FilingPath::AddWebsiteSubjectElsewhere => "add_website_subject_elsewhere",
            FilingPath::TransferIn => "transfer_in",
            FilingPath::TransferInExistingSubject => "transfer_in_existing_subject",
            FilingPath::Change => "change",
            FilingPath::CancelWebsite => "cancel_website",
            FilingPath::CancelSubject => "cancel_subject",
            FilingPath::CancelTransfer => "cancel_transfer",
            FilingPath::ClaimLegacy => "claim_legacy",
            FilingPath::DnsChangeOnly => "dns_change_only",
            FilingPath::NotRequired => "not_required",
        }
    }

    /// True for paths that go through an order with the provider and the administration.
    pub fn has_order(self) -> bool {
        !matches!(self, FilingPath::DnsChangeOnly | FilingPath::NotRequired)
    }

    /// True for paths that bring new websites onto this provider's servers.
    pub fn adds_websites(self) -> bool {
        matches!(
            self,
            FilingPath::FirstFiling
                | FilingPath::AddWebsite
                | FilingPath::AddWebsiteSubjectElsewhere
                | FilingPath::TransferIn
                | FilingPath::TransferInExistingSubject
        )
    }

    /// True for paths that need a service code (they bind a site to an instance), one per
    /// website.
    pub fn needs_service_code(self) -> bool {
        self.adds_websites()
    }
}

/// An order's status (PRODUCT.md). Transitions are in [`OrderStatus::can_become`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Draft,
    ProviderReview,
    IdentityVerification,
    PendingSubmission,
    SmsVerification,
    AuthorityReview,
    Approved,
    ProviderRejected,
    AuthorityRejected,
    Withdrawn,
    Abandoned,
    Expired,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: &'static [OrderStatus] = &[
        OrderStatus::Draft,
        OrderStatus::ProviderReview,
        OrderStatus::IdentityVerification,
        OrderStatus::PendingSubmission,
        OrderStatus::SmsVerification,
        OrderStatus::AuthorityReview,
        OrderStatus::Approved,
        OrderStatus::ProviderRejected,
        OrderStatus::AuthorityRejected,
        OrderStatus::Withdrawn,
        OrderStatus::Abandoned,
        OrderStatus::Expired,
    ];

    /// True while the order blocks another order for the same subject.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            OrderStatus::Approved | OrderStatus::Withdrawn | OrderStatus::Abandoned | OrderStatus::Expired
        )
    }

    /// Whether an order may move from `self` to `next`. Withdrawing is allowed during the
    /// provider's review and identity verification (the order returns to draft, seeds/facts
    /// §6.2); nothing can be withdrawn once it is with the administration.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus as S;
        matches!(
            (self, next),
            (S::Draft, S::ProviderReview)
                | (S::Draft, S::Abandoned)
                | (S::Draft, S::Expired)
                | (S::ProviderReview, S::IdentityVerification)
                | (S::ProviderReview, S::ProviderRejected)
                | (S::ProviderReview, S::Draft)
                | (S::IdentityVerification, S::PendingSubmission)
                | (S::IdentityVerification, S::ProviderRejected)
                | (S::IdentityVerification, S::Draft)
                | (S::PendingSubmission, S::SmsVerification)
                | (S::PendingSubmission, S::AuthorityReview)
                | (S::SmsVerification, S::AuthorityReview)
                | (S::SmsVerification, S::ProviderRejected)
                | (S::AuthorityReview, S::Approved)
                | (S::AuthorityReview, S::AuthorityRejected)
                | (S::ProviderRejected, S::Draft)
                | (S::ProviderRejected, S::Abandoned)
                | (S::AuthorityRejected, S::Draft)
                | (S::AuthorityRejected, S::Abandoned)
        )
    }

    /// True when the applicant may withdraw the order (back to draft).
    pub fn can_withdraw(self) -> bool {
        self.can_become(OrderStatus::Draft) && matches!(self, OrderStatus::ProviderReview | OrderStatus::IdentityVerification)
    }
}

/// A provider product a site can be hosted on (or a service in front of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    Ecs,
    SimpleApplicationServer,
    WebHosting,
    ElasticWebHosting,
    NatGateway,
    Ipv6Translation,
    EdgeNodeService,
    MarketplaceSite,
    LoadBalancer,
    ContainerService,
    /// An IoT package (seed 004: six months or more, a single order of USD 14 or more).
    IotPackage,
}

impl Product {
    /// Every product.
    pub const ALL: &'static [Product] = &[
        Product::Ecs,
        Product::SimpleApplicationServer,
        Product::WebHosting,
        Product::ElasticWebHosting,
        Product::NatGateway,
        Product::Ipv6Translation,
        Product::EdgeNodeService,
        Product::MarketplaceSite,
        Product::LoadBalancer,
        Product::ContainerService,
        Product::IotPackage,
    ];
}

/// How an instance is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    Subscription,
    PayAsYouGo,
    /// A free trial: no service code (seed 002).
    FreeTrial,
}

/// A provider instance as the eligibility check sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub product: Product,
    /// The provider's region id (`cn-hangzhou`); see [`crate::regions`].
    pub region: String,
    pub billing: Billing,
    pub subscription_start: NaiveDate,
    /// None for pay-as-you-go.
    #[serde(default)]
    pub subscription_end: Option<NaiveDate>,
    pub public_bandwidth_mbps: u32,
    /// Service codes already issued for this instance (used or not: they are never returned).
    #[serde(default)]
    pub service_codes_issued: u32,
    /// The largest single order paid for the instance, in US cents, where the policy asks
    /// (IoT packages); none when not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_order_usd_cents: Option<u32>,
}

/// The kinds of document an applicant uploads or signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The subject's certificate (business licence, organisation certificate, or the individual's ID).
    SubjectCertificate,
    /// The subject principal's identity document.
    SubjectPrincipalId,
    /// The website principal's identity document.
    WebsitePrincipalId,
    /// 网站备案信息真实性核验单 (province template, signed / sealed).
    AuthenticityStatement,
    /// ICP备案信息真实性责任告知书 + 承诺书.
    ResponsibilityNoticeAndPledge,
    /// Guangdong's 互联网信息服务备案承诺书.
    GuangdongServicePledge,
    /// 域名证书 or a real-name screenshot.
    DomainCertificate,
    /// Proof about the domain registrant when the holder is not the subject.
    DomainRegistrantProof,
    /// Authorisation by the legal representative for another principal.
    LegalRepresentativeAuthorization,
    /// Residence or temporary residence permit for non-local individuals.
    ResidencePermit,
    /// 党政机关确认函 (Tibet).
    PartyGovernmentConfirmation,
    /// 网站建设方案书.
    WebsiteConstructionPlan,
    /// A pre-approval (前置审批) licence.
    PreApproval,
    /// Guardian's ID or proof of employment for a minor.
    MinorProof,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::SubjectCertificate,
        DocumentKind::SubjectPrincipalId,
        DocumentKind::WebsitePrincipalId,
        DocumentKind::AuthenticityStatement,
        DocumentKind::ResponsibilityNoticeAndPledge,
        DocumentKind::GuangdongServicePledge,
        DocumentKind::DomainCertificate,
        DocumentKind::DomainRegistrantProof,
        DocumentKind::LegalRepresentativeAuthorization,
        DocumentKind::ResidencePermit,
        DocumentKind::PartyGovernmentConfirmation,
        DocumentKind::WebsiteConstructionPlan,
        DocumentKind::PreApproval,
        DocumentKind::MinorProof,
    ];
}

/// Steps that verify the applicant or the website administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStep {
    /// The provider's reviewer calls the principal.
    ProviderCall,
    /// A photo in front of the provider's backdrop (幕布).
    BackdropPhoto,
    /// Face verification in the provider's app.
    FaceVerification,
    /// Face verification or a backdrop photo, the applicant's choice.
    FaceOrBackdrop,
    /// Verification in the Shanghai Communications Administration's app.
    ShanghaiAdministrationApp,
    /// MIIT's SMS verification of the principals' mobile numbers.
    SmsVerification,
    /// The MIIT filing password (备案密码), abolished on 2020-08-17.
    FilingPassword,
    /// Documents may be uploaded in the provider's app.
    AppDocumentUpload,
}

impl VerificationStep {
    /// Every step.
    pub const ALL: &'static [VerificationStep] = &[
        VerificationStep::ProviderCall,
        VerificationStep::BackdropPhoto,
        VerificationStep::FaceVerification,
        VerificationStep::FaceOrBackdrop,
        VerificationStep::ShanghaiAdministrationApp,
        VerificationStep::SmsVerification,
        VerificationStep::FilingPassword,
        VerificationStep::AppDocumentUpload,
    ];
}

/// Who must act on a verification step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verifier {
    SubjectPrincipal,
    WebsitePrincipal,
    BothPrincipals,
    Applicant,
    /// The principal of the part that changes: the subject's for a subject change, a
    /// website's for a website change.
    ChangedPartPrincipal,
}

/// Pre-approval (前置审批) categories of website content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentCategory {
    News,
    Publishing,
    Education,
    Healthcare,
    DrugsAndMedicalDevices,
    Bbs,
    Culture,
    RadioFilmTv,
    RideHailing,
    Finance,
    OffCampusTutoring,
    Religion,
    Games,
    /// E-commerce or online payments: needs an ICP Commercial License.
    ECommerce,
}

impl ContentCategory {
    pub const ALL: &'static [ContentCategory] = &[
        ContentCategory::News,
        ContentCategory::Publishing,
        ContentCategory::Education,
        ContentCategory::Healthcare,
        ContentCategory::DrugsAndMedicalDevices,
        ContentCategory::Bbs,
        ContentCategory::Culture,
        ContentCategory::RadioFilmTv,
        ContentCategory::RideHailing,
        ContentCategory::Finance,
        ContentCategory::OffCampusTutoring,
        ContentCategory::Religion,
        ContentCategory::Games,
        ContentCategory::ECommerce,
    ];
}
