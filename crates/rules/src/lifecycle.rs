//! The order lifecycle as one state machine: every transition names the action, the statuses
//! it starts from, who may take it, what it requires, and where it leads. The store applies
//! transitions atomically and writes each to the order's history and the audit log; the app
//! and the reviewer console read this table to offer exactly the actions that can be taken.
//!
//! Sources: facts §6.1–6.2 (the providers' flows: provider review with a phone call, identity
//! verification by backdrop photo or face, submission to the 管局, the MIIT's SMS within 24 h,
//! the 管局's decision; withdrawing returns the order to draft while it is with the provider,
//! nothing can be withdrawn once it is with the 管局; abandoning after a rejection; orders
//! that time out). A claim of a legacy filing (`claim_legacy`) is reviewed by the provider
//! alone (seed 000).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::application::Application;
use crate::problem::Code;
use crate::types::{FilingPath, OrderStatus, VerificationStep};

/// Who takes a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The account that owns the order.
    Applicant,
    /// The provider's staff.
    Reviewer,
    /// The provincial communications administration (管局), through the gateway, or a
    /// reviewer recording its decision by hand.
    Authority,
    /// Time: deadlines and timeouts, applied by the server's background task.
    Clock,
}

/// What a transition does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Send the draft to the provider's review (a validated version).
    Submit,
    /// Take the order back to draft while it is with the provider.
    Withdraw,
    /// Close the order for good (its service codes stay used).
    Abandon,
    /// Edit a rejected order again (it returns to draft, keeping the reasons).
    Revise,
    /// The provider's review passes (to identity verification, or straight on).
    ProviderApprove,
    /// The provider's review fails, with field-level reasons.
    ProviderReject,
    /// The applicant's identity evidence (backdrop photo, face or app confirmation) is accepted.
    AcceptIdentity,
    /// The identity evidence is refused, with reasons.
    RejectIdentity,
    /// The provider submits the order to the administration.
    SubmitToAuthority,
    /// The MIIT's text-message verification is done (the principal entered the code in time).
    ConfirmSms,
    /// The SMS deadline passed without verification.
    SmsDeadlinePassed,
    /// The administration approves and issues the ICP numbers.
    AuthorityApprove,
    /// The administration rejects, with its reason.
    AuthorityReject,
    /// The order was left too long (the order timeout of the rule pack).
    Expire,
}

impl Action {
    /// Every action.
    pub const ALL: &'static [Action] = &[
        Action::Submit,
        Action::Withdraw,
        Action::Abandon,
        Action::Revise,
        Action::ProviderApprove,
        Action::ProviderReject,
        Action::AcceptIdentity,
        Action::RejectIdentity,
        Action::SubmitToAuthority,
        Action::ConfirmSms,
        Action::SmsDeadlinePassed,
        Action::AuthorityApprove,
        Action::AuthorityReject,
        Action::Expire,
    ];
}

impl Actor {
    /// Every actor.
    pub const ALL: &'static [Actor] = &[Actor::Applicant, Actor::Reviewer, Actor::Authority, Actor::Clock];
}

/// What a transition needs besides its starting status and its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// A version of the answers that passes every rule, with its documents and codes bound.
    CheckedApplication,
    /// At least one reason (a field and a reason from the catalogue).
    Reasons,
    /// The applicant has provided identity evidence.
    IdentityEvidence,
    /// ICP numbers in the real format, one for the subject and one per website.
    IcpNumbers,
    /// The SMS deadline has passed.
    SmsDeadlinePassed,
    /// The order timeout has passed since the order last changed.
    TimeoutPassed,
}

/// One transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub from: &'static [OrderStatus],
    pub actors: &'static [Actor],
    pub requires: &'static [Requirement],
    /// Where it leads (see [`Transition::target`] for the actions whose target depends on
    /// the filing).
    pub to: OrderStatus,
}

use Actor as A;
use OrderStatus as S;

/// Every transition of the lifecycle.
pub const TRANSITIONS: &[Transition] = &[
    Transition { action: Action::Submit, from: &[S::Draft], actors: &[A::Applicant], requires: &[Requirement::CheckedApplication], to: S::ProviderReview },
    Transition {
        action: Action::Withdraw,
        from: &[S::ProviderReview, S::IdentityVerification, S::PendingSubmission],
        actors: &[A::Applicant],
        requires: &[],
        to: S::Draft,
    },
    Transition { action: Action::Abandon, from: &[S::Draft, S::ProviderRejected, S::AuthorityRejected], actors: &[A::Applicant], requires: &[], to: S::Abandoned },
    Transition { action: Action::Revise, from: &[S::ProviderRejected, S::AuthorityRejected], actors: &[A::Applicant], requires: &[], to: S::Draft },
    Transition { action: Action::ProviderApprove, from: &[S::ProviderReview], actors: &[A::Reviewer], requires: &[], to: S::IdentityVerification },
    Transition {
        action: Action::ProviderReject,
        from: &[S::ProviderReview, S::IdentityVerification, S::PendingSubmission],
        actors: &[A::Reviewer],
        requires: &[Requirement::Reasons],
        to: S::ProviderRejected,
    },
    Transition {
        action: Action::AcceptIdentity,
        from: &[S::IdentityVerification],
        actors: &[A::Reviewer],
        requires: &[Requirement::IdentityEvidence],
        to: S::PendingSubmission,
    },
    Transition {
        action: Action::RejectIdentity,
        from: &[S::IdentityVerification],
        actors: &[A::Reviewer],
        requires: &[Requirement::Reasons],
        to: S::ProviderRejected,
    },
    Transition { action: Action::SubmitToAuthority, from: &[S::PendingSubmission], actors: &[A::Reviewer], requires: &[], to: S::SmsVerification },
    Transition { action: Action::ConfirmSms, from: &[S::SmsVerification], actors: &[A::Authority], requires: &[], to: S::AuthorityReview },
    Transition {
        action: Action::SmsDeadlinePassed,
        from: &[S::SmsVerification],
        actors: &[A::Clock],
        requires: &[Requirement::SmsDeadlinePassed],
        to: S::AuthorityRejected,
    },
    Transition {
        action: Action::AuthorityApprove,
        from: &[S::AuthorityReview],
        actors: &[A::Authority],
        requires: &[Requirement::IcpNumbers],
        to: S::Approved,
    },
    Transition {
        action: Action::AuthorityReject,
        from: &[S::AuthorityReview],
        actors: &[A::Authority],
        requires: &[Requirement::Reasons],
        to: S::AuthorityRejected,
    },
    Transition {
        action: Action::Expire,
        from: &[S::Draft, S::ProviderRejected, S::AuthorityRejected],
        actors: &[A::Clock],
        requires: &[Requirement::TimeoutPassed],
        to: S::Expired,
    },
];

/// What the filing itself decides about its way through the lifecycle (from its
/// requirements for the province, subject type, path and date).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// An identity verification step (backdrop photo, face, the provider's app) is required.
    pub identity_verification: bool,
    /// The MIIT's SMS verification is required.
    pub sms_verification: bool,
    /// Reviewed by the provider alone (a claim of a legacy filing): approval by the provider
    /// ends the order; nothing goes to the administration.
    pub provider_only: bool,
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// This actor may not take this action.
    Forbidden,
    /// Not from this status.
    NotFromStatus,
    /// A requirement is not met.
    Missing(Requirement),
}

impl Transition {
    /// The transition of `action`.
    pub fn of(action: Action) -> Option<&'static Transition> {
        TRANSITIONS.iter().find(|t| t.action == action)
    }

    /// Where this transition leads for a filing on `route`.
    pub fn target(&self, route: Route) -> OrderStatus {
        match self.action {
            Action::ProviderApprove if route.provider_only => S::Approved,
            Action::ProviderApprove if !route.identity_verification => S::PendingSubmission,
            Action::SubmitToAuthority if !route.sms_verification => S::AuthorityReview,
            _ => self.to,
        }
    }
}

/// Applies `action` by `actor` to an order in `from`, given what is `met`: the status it
/// leads to, or why not. Nothing else decides whether an order may move.
pub fn apply(action: Action, from: OrderStatus, actor: Actor, route: Route, met: &[Requirement]) -> Result<OrderStatus, Refusal> {
    let t = Transition::of(action).ok_or(Refusal::Forbidden)?;
    if !t.actors.contains(&actor) {
        return Err(Refusal::Forbidden);
    }
    if !t.from.contains(&from) {
        return Err(Refusal::NotFromStatus);
    }
    // A claim never goes to the administration.
    if route.provider_only && matches!(action, Action::SubmitToAuthority | Action::AcceptIdentity) {
        return Err(Refusal::NotFromStatus);
    }
    if let Some(missing) = t.requires.iter().find(|r| !met.contains(r)) {
        return Err(Refusal::Missing(*missing));
    }
    Ok(t.target(route))
}

/// The actions `actor` can take on an order in `status` (requirements aside): what the app
/// and the console offer.
pub fn actions(status: OrderStatus, actor: Actor, route: Route) -> Vec<Action> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from.contains(&status) && t.actors.contains(&actor))
        .filter(|t| !(route.provider_only && matches!(t.action, Action::SubmitToAuthority | Action::AcceptIdentity)))
        .map(|t| t.action)
        .collect()
}

/// Who acts next on an order in `status`.
pub fn next_actor(status: OrderStatus) -> Option<Actor> {
    match status {
        S::Draft | S::ProviderRejected | S::AuthorityRejected => Some(A::Applicant),
        S::ProviderReview | S::IdentityVerification | S::PendingSubmission => Some(A::Reviewer),
        S::SmsVerification => Some(A::Applicant),
        S::AuthorityReview => Some(A::Authority),
        S::Approved | S::Withdrawn | S::Abandoned | S::Expired => None,
    }
}

/// The reasons a reviewer chooses from when rejecting, each on a field of the filing (facts
/// §6.3, the providers' common rejection causes). `review.other` takes the reviewer's words.
pub const REJECTION_REASONS: &[Code] = &[
    Code::ReviewWebsiteName,
    Code::ReviewDomainHolder,
    Code::ReviewDomainNotVerified,
    Code::ReviewDocumentUnreadable,
    Code::ReviewDocumentExpired,
    Code::ReviewAddress,
    Code::ReviewPrincipalUnreachable,
    Code::ReviewPreApproval,
    Code::ReviewCrossProvince,
    Code::ReviewLegalRepresentative,
    Code::ReviewPhone,
    Code::ReviewAuthenticityStatement,
    Code::ReviewFilingType,
    Code::ReviewIdentityVerification,
    Code::ReviewOther,
];

/// The administration's reasons (the SMS deadline, or its own rejection).
pub const AUTHORITY_REASONS: &[Code] = &[Code::ReviewSmsDeadlineMissed, Code::ReviewAuthorityRejected];

/// The statuses an order is listed in for the provider's reviewers (their queue): waiting
/// for the provider or the administration, or returned to its applicant.
pub const IN_QUEUE: &[OrderStatus] = &[
    OrderStatus::ProviderReview,
    OrderStatus::IdentityVerification,
    OrderStatus::PendingSubmission,
    OrderStatus::SmsVerification,
    OrderStatus::AuthorityReview,
    OrderStatus::ProviderRejected,
    OrderStatus::AuthorityRejected,
];

/// True for a reason given by a reviewer or the administration (not a rule's own finding).
pub fn is_reason(code: Code) -> bool {
    REJECTION_REASONS.contains(&code) || AUTHORITY_REASONS.contains(&code)
}

/// The way an application takes through the lifecycle, from its requirements on `date`
/// (the day of its submission): identity verification where the province asks for a photo,
/// face verification or an administration's app; the MIIT's SMS where the path and date ask
/// for it (with its deadline in hours); a claim is the provider's alone.
pub fn route(app: &Application, date: NaiveDate) -> (Route, Option<u32>) {
    let provider_only = app.path == Some(FilingPath::ClaimLegacy);
    let Some(((province, subject), path)) = app.province.zip(app.subject.subject_type).zip(app.path) else {
        return (Route { identity_verification: false, sms_verification: false, provider_only }, None);
    };
    let req = crate::requirements::requirements(province, subject, path, date);
    let identity = req.verification.iter().any(|v| {
        matches!(
            v.step,
            VerificationStep::BackdropPhoto | VerificationStep::FaceVerification | VerificationStep::FaceOrBackdrop | VerificationStep::ShanghaiAdministrationApp
        )
    });
    let sms = req.verification.iter().find(|v| v.step == VerificationStep::SmsVerification);
    let route = Route { identity_verification: identity && !provider_only, sms_verification: sms.is_some() && !provider_only, provider_only };
    (route, sms.and_then(|v| v.deadline_hours))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Requirement] = &[
        Requirement::CheckedApplication,
        Requirement::Reasons,
        Requirement::IdentityEvidence,
        Requirement::IcpNumbers,
        Requirement::SmsDeadlinePassed,
        Requirement::TimeoutPassed,
    ];

    #[test]
    fn a_first_filing_walks_to_approval() {
        let route = Route { identity_verification: true, sms_verification: true, provider_only: false };
        let walk = [
            (Action::Submit, A::Applicant, S::ProviderReview),
            (Action::ProviderApprove, A::Reviewer, S::IdentityVerification),
            (Action::AcceptIdentity, A::Reviewer, S::PendingSubmission),
            (Action::SubmitToAuthority, A::Reviewer, S::SmsVerification),
            (Action::ConfirmSms, A::Authority, S::AuthorityReview),
            (Action::AuthorityApprove, A::Authority, S::Approved),
        ];
        let mut status = S::Draft;
        for (action, actor, to) in walk {
            status = apply(action, status, actor, route, ALL).unwrap_or(S::Draft);
            assert_eq!(status, to, "{action:?}");
        }
    }

    #[test]
    fn steps_the_filing_does_not_need_are_skipped() {
        let route = Route::default();
        assert_eq!(apply(Action::ProviderApprove, S::ProviderReview, A::Reviewer, route, &[]), Ok(S::PendingSubmission));
        assert_eq!(apply(Action::SubmitToAuthority, S::PendingSubmission, A::Reviewer, route, &[]), Ok(S::AuthorityReview));
        let claim = Route { provider_only: true, ..Route::default() };
        assert_eq!(apply(Action::ProviderApprove, S::ProviderReview, A::Reviewer, claim, &[]), Ok(S::Approved));
    }

    #[test]
    fn forbidden_transitions_are_refused() {
        let route = Route::default();
        // The applicant cannot approve; the reviewer cannot submit for the applicant, withdraw
        // or abandon; nothing approves a withdrawn order; nothing leaves approval.
        assert_eq!(apply(Action::ProviderApprove, S::ProviderReview, A::Applicant, route, ALL), Err(Refusal::Forbidden));
        assert_eq!(apply(Action::Submit, S::Draft, A::Reviewer, route, ALL), Err(Refusal::Forbidden));
        assert_eq!(apply(Action::Withdraw, S::ProviderReview, A::Reviewer, route, ALL), Err(Refusal::Forbidden));
        assert_eq!(apply(Action::Abandon, S::Draft, A::Reviewer, route, ALL), Err(Refusal::Forbidden));
        assert_eq!(apply(Action::ProviderApprove, S::Draft, A::Reviewer, route, ALL), Err(Refusal::NotFromStatus));
        assert_eq!(apply(Action::Withdraw, S::AuthorityReview, A::Applicant, route, ALL), Err(Refusal::NotFromStatus));
        for action in TRANSITIONS.iter().map(|t| t.action) {
            for actor in [A::Applicant, A::Reviewer, A::Authority, A::Clock] {
                assert!(apply(action, S::Approved, actor, route, ALL).is_err(), "{action:?} left approval");
            }
        }
        assert_eq!(apply(Action::ProviderReject, S::ProviderReview, A::Reviewer, route, &[]), Err(Refusal::Missing(Requirement::Reasons)));
        assert_eq!(apply(Action::AuthorityApprove, S::AuthorityReview, A::Authority, route, &[]), Err(Refusal::Missing(Requirement::IcpNumbers)));
    }

    #[test]
    fn every_status_but_the_final_ones_has_a_way_on() {
        for status in OrderStatus::ALL {
            let final_status = matches!(status, S::Approved | S::Withdrawn | S::Abandoned | S::Expired);
            let leaves = TRANSITIONS.iter().any(|t| t.from.contains(status));
            assert_eq!(leaves, !final_status, "{status:?}");
        }
    }
}
