//! An applicant's instances with their eligibility (rules crate, as of today), and service
//! codes: applied for within the quota, single use, never returned.

use beian_rules::eligibility::InstanceEligibility;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::{policy, session, today};

/// One instance and whether it can be filed on today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceView {
    pub id: String,
    pub instance: beian_rules::types::Instance,
    pub eligibility: InstanceEligibility,
}

/// One service code and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCodeView {
    pub code: String,
    pub instance_id: String,
    pub issued_at: String,
    /// The order it was used by; a used code stays used forever.
    pub used_by_order: Option<String>,
}

/// The logged-in applicant's instances.
#[server(prefix = "/api", endpoint = "my_instances")]
pub async fn my_instances() -> Result<Vec<InstanceView>, ApiError> {
    let account = session::current_account().await?;
    let policy = policy();
    let instances = session::store().instances_of(&account.id).await?;
    Ok(instances
        .into_iter()
        .map(|i| {
            let eligibility = beian_rules::check_instance(&i.instance, &policy, today());
            InstanceView { id: i.id, instance: i.instance, eligibility }
        })
        .collect())
}

/// Applies for a service code for one of the applicant's eligible instances.
#[server(prefix = "/api", endpoint = "apply_service_code", input = crate::codec::Json)]
pub async fn apply_service_code(instance_id: String) -> Result<ServiceCodeView, ApiError> {
    let account = session::current_account().await?;
    let policy = policy();
    let code = session::store()
        .issue_service_code(&account.id, &instance_id, |i| beian_rules::check_instance(&i.instance, &policy, today()).eligible)
        .await?;
    Ok(ServiceCodeView { code: code.code, instance_id: code.instance_id, issued_at: code.issued_at, used_by_order: None })
}

/// The applicant's service codes.
#[server(prefix = "/api", endpoint = "my_service_codes")]
pub async fn my_service_codes() -> Result<Vec<ServiceCodeView>, ApiError> {
    let account = session::current_account().await?;
    let codes = session::store().service_codes_of(&account.id).await?;
    Ok(codes
        .into_iter()
        .map(|c| ServiceCodeView { code: c.code, instance_id: c.instance_id, issued_at: c.issued_at, used_by_order: c.used_by_order })
        .collect())
}
