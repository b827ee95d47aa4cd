//! The lifecycle's clock: a background task that applies what time makes due — an SMS
//! deadline passed, an order left longer than its timeout, the (simulated) administration's
//! decision — every interval. Its state is the database's, so it survives restarts; every
//! step is a transition with a compare-and-set on the order's status, so two replicas (or a
//! restart in the middle) never apply one twice; on PostgreSQL a round runs on one replica at
//! a time (an advisory lock, [`beian_store::Store::exclusively`]).

use std::sync::Arc;
use std::time::Duration;

use beian_api::authority::AuthorityGateway;
use beian_rules::lifecycle::Action;
use beian_store::Store;
use beian_store::lifecycle::{Input, Taker};
use chrono::{DateTime, Utc};

/// Applies everything due at `now`; returns the (order, action) pairs it applied.
pub async fn tick(store: &Store, gateway: &dyn AuthorityGateway, now: DateTime<Utc>) -> Vec<(String, Action)> {
    let due = match store.clock_due(now).await {
        Ok(due) => due,
        Err(e) => {
            tracing::error!(error = %e, "clock: reading what is due failed");
            return Vec::new();
        }
    };
    let mut applied = Vec::new();
    for (order, action) in due {
        let result = match action {
            Action::AuthorityApprove => beian_api::lifecycle::authority_decides(store, gateway, &order, None, now).await.map(|_| ()),
            _ => store.act(&order, Taker::Clock, action, Input::default(), now).await.map(|_| ()).map_err(beian_api::ApiError::from),
        };
        match result {
            Ok(()) => applied.push((order, action)),
            // Another replica (or an applicant's action) got there first: nothing to do.
            Err(e) if e.status < 500 => tracing::debug!(order = %order, code = e.code.as_str(), "clock: not applied"),
            Err(e) => tracing::error!(order = %order, code = e.code.as_str(), "clock: failed"),
        }
    }
    applied
}

/// Runs [`tick`] every `interval` until the server stops (a round under way is finished).
pub fn start(store: Store, gateway: Arc<dyn AuthorityGateway>, interval: Duration, mut stop: crate::Stop) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while stop.sleep(interval).await {
            // One replica at a time; the others skip this round.
            match store.exclusively(beian_store::Job::Clock, tick(&store, gateway.as_ref(), Utc::now())).await {
                Ok(Some(applied)) if !applied.is_empty() => tracing::info!(count = applied.len(), "clock: applied what was due"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "clock: cannot take its turn"),
            }
        }
    })
}
