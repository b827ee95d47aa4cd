//! # Beian's rules crate
//!
//! Every ICP filing rule Beian knows, as code and data, compiled twice: to wasm inside the
//! applicant app (instant feedback) and natively inside the backend (which repeats every check
//! on every save and submit and never trusts the browser).
//!
//! ## Model
//!
//! - [`types`]: the vocabulary — [`Province`] (ISO 3166-2:CN codes), [`SubjectType`],
//!   [`CertificateType`], [`FilingPath`], [`OrderStatus`], [`DocumentKind`], …
//! - [`ids`]: one module per identifier (`resident_id`, `uscc`, `mobile`, `domain`,
//!   `website_name`, `icp_number`, …), each with the same small surface; [`validate_field`]
//!   dispatches on a [`FieldKind`].
//! - [`problem`]: checks return [`Finding`]s — a stable [`Code`] (`"resident_id.checksum"`),
//!   a severity, the field path and parameters. Never prose: the app owns the words, in zh-CN
//!   and en.
//! - [`pack`]: the rule packs. Every provincial or dated rule is an entry in `data/*.toml`
//!   with its `source`, `effective_from` and `effective_until`, and, where sources conflict,
//!   the `choice` made and why. The engine answers **as of** a date the caller passes in:
//!   the seeds' 2018 rules and today's both hold, each in its time. [`pack::rules`] lists
//!   every entry with its citation (`cargo run -p beian-rules --example rules` prints them).
//! - [`eligibility`]: is a filing needed (as of a date); can this instance be used under a
//!   [`ProviderPolicy`] (dated data: `data/provider-policy.toml` is the default and the format
//!   of the operator's file); is an ICP Commercial License needed.
//! - [`path`]: the path finder (the decision table of the seeds and the facts) and the rules
//!   that block an order.
//! - [`requirements`](mod@requirements): documents, verification steps with deadlines and review
//!   estimates (working days turned into dates) for a province × subject type × path × date.
//! - [`application`]: [`validate_application`], every problem of a whole filing by field path;
//!   [`check_service_codes`], the websites' service codes against an instance's codes.
//!
//! ## Invariants
//!
//! - No I/O and no clock: the date is always an argument. A date before the sources reach is
//!   answered with `rules.before_sources`, never silently with no rules.
//! - One normalisation policy for every identifier and comparison ([`ids::normalize`]).
//! - No panic on any input: `unwrap`, `expect`, `panic!` and indexing are denied by lint.
//! - The same input gives the same findings, in the same order, natively and in wasm.

#![deny(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod application;
pub mod checked;
pub mod corpus;
pub mod eligibility;
pub mod fields;
pub mod ids;
pub mod lifecycle;
pub mod pack;
pub mod path;
pub mod problem;
pub mod record;
pub mod requirements;
pub mod types;
pub mod wire;
pub mod workdays;

pub use application::{Application, CodeQuota, Person, Subject, UploadedDocument, Website, check_service_codes, validate_application};
pub use eligibility::{PolicyError, ProviderPolicy, check_instance, need_filing};
pub use ids::{FieldContext, FieldKind, validate_field};
pub use path::{PathQuestions, determine_path};
pub use problem::{Code, Finding, Severity};
pub use requirements::{Requirements, requirements};
pub use types::{CertificateType, ContentCategory, DocumentKind, FilingPath, OrderStatus, Province, SubjectType};

/// The version of the rules crate, shown by the app and the server.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
