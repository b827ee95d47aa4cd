//! The administration (管局 and the MIIT's filing system) behind a trait: Beian submits an
//! order, the administration sends its SMS and decides. The built-in [`Simulator`] does this
//! for demos and tests; [`Manual`] is for a provider that deals with the real system outside
//! Beian (its reviewers record the SMS verification and the decision by hand).

use async_trait::async_trait;
use beian_store::lifecycle::{IcpNumbers, Input};
use beian_store::{OrderRecord, Store};
use chrono::{DateTime, Datelike, Duration, Utc};

use crate::error::{ApiError, ErrorCode};

/// What Beian asks of the administration.
#[async_trait]
pub trait AuthorityGateway: Send + Sync {
    /// Submits `order`: the SMS the administration sends (its code and deadline) when the
    /// filing needs one (`sms_hours`), and when it decides otherwise.
    async fn submit(&self, order: &OrderRecord, sms_hours: Option<u32>, now: DateTime<Utc>) -> Result<Input, ApiError>;

    /// The applicant's confirmation of the SMS: refused when the code is not the one sent;
    /// when the administration decides.
    async fn confirm_sms(&self, store: &Store, order: &OrderRecord, code: &str, now: DateTime<Utc>) -> Result<Input, ApiError>;

    /// The administration's decision on an order whose decision is due: the numbers it
    /// issues (None: no decision from here).
    async fn decide(&self, store: &Store, order: &OrderRecord, now: DateTime<Utc>) -> Result<Option<IcpNumbers>, ApiError>;

    /// True when the app may show the SMS itself (the simulator's), so that a demo can go on.
    fn shows_sms(&self) -> bool;
}

/// The simulated administration: an SMS with a six-digit code and the rules' deadline, a
/// decision `delay` after the verification (0 in demo mode), always an approval, with ICP
/// numbers in the real format.
pub struct Simulator {
    pub delay: Duration,
}

/// Six digits from a fresh random id.
fn six_digits() -> String {
    format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000)
}

#[async_trait]
impl AuthorityGateway for Simulator {
    async fn submit(&self, _order: &OrderRecord, sms_hours: Option<u32>, now: DateTime<Utc>) -> Result<Input, ApiError> {
        Ok(match sms_hours {
            Some(hours) => Input { sms: Some((six_digits(), now + Duration::hours(i64::from(hours)))), ..Input::default() },
            None => Input { decide_after: Some(now + self.delay), ..Input::default() },
        })
    }

    async fn confirm_sms(&self, store: &Store, order: &OrderRecord, code: &str, now: DateTime<Utc>) -> Result<Input, ApiError> {
        let sent = store.authority_state(&order.id).await?.and_then(|a| a.sms_code);
        if sent.as_deref() != Some(code.trim()) {
            return Err(ApiError::new(ErrorCode::SmsWrongCode).at("sms_code"));
        }
        Ok(Input { decide_after: Some(now + self.delay), ..Input::default() })
    }

    async fn decide(&self, store: &Store, order: &OrderRecord, now: DateTime<Utc>) -> Result<Option<IcpNumbers>, ApiError> {
        let Some(province) = order.application.province else { return Ok(None) };
        let app = &order.application;
        if let Some((subject, websites)) = beian_rules::record::kept_numbers(app) {
            return Ok(Some(IcpNumbers { subject, websites }));
        }
        if app.path.is_some_and(beian_rules::record::has_subject_number) {
            // New websites of a filed subject: numbered on from the record here; a subject
            // filed elsewhere has at least its first website there (the simulator starts at 2).
            let first = match store.filing_of_order(&order.id).await? {
                Some(filing) => filing.record().next_site(),
                None => 2,
            };
            let subject = app.subject.icp_number.trim().to_owned();
            let websites = (0..app.websites.len()).map(|i| format!("{subject}-{}", first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)))).collect();
            return Ok(Some(IcpNumbers { subject, websites }));
        }
        let year = now.year();
        let serial = store.next_icp_serial(province, year).await?;
        let Some(subject) = beian_rules::ids::icp_number::format(province, year, serial, None) else { return Ok(None) };
        let websites = (1..=order.application.websites.len()).map(|n| format!("{subject}-{n}")).collect();
        Ok(Some(IcpNumbers { subject, websites }))
    }

    fn shows_sms(&self) -> bool {
        true
    }
}

/// The real administration, dealt with outside Beian: no SMS code here and no decision of its
/// own; a reviewer records both by hand.
pub struct Manual;

#[async_trait]
impl AuthorityGateway for Manual {
    async fn submit(&self, _order: &OrderRecord, _sms_hours: Option<u32>, _now: DateTime<Utc>) -> Result<Input, ApiError> {
        Ok(Input::default())
    }

    async fn confirm_sms(&self, _store: &Store, _order: &OrderRecord, _code: &str, _now: DateTime<Utc>) -> Result<Input, ApiError> {
        // The principal verifies on the MIIT's own system; a reviewer records it.
        Err(ApiError::new(ErrorCode::OrderTransitionForbidden))
    }

    async fn decide(&self, _store: &Store, _order: &OrderRecord, _now: DateTime<Utc>) -> Result<Option<IcpNumbers>, ApiError> {
        Ok(None)
    }

    fn shows_sms(&self) -> bool {
        false
    }
}
