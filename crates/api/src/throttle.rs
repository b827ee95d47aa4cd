//! Throttled authentication: how many logins and registrations an address and an account may
//! try (the `governor` crate's keyed limiters, generic cell rate). (The store keeps argon2 off
//! the async workers, a bounded number of hashes at once.)
//!
//! The limits are per server process (several replicas each count their own).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{ApiError, ErrorCode};

/// Attempts one address may make: 60 at once, then one a second.
const ADDRESS_BURST: u32 = 60;
const ADDRESS_PERIOD: Duration = Duration::from_secs(1);
/// Attempts at one account's password: 30 in a minute, and 100 in an hour.
const ACCOUNT_MINUTE_BURST: u32 = 30;
const ACCOUNT_MINUTE_PERIOD: Duration = Duration::from_secs(2);
const ACCOUNT_HOUR_BURST: u32 = 100;
const ACCOUNT_HOUR_PERIOD: Duration = Duration::from_secs(36);

fn quota(burst: u32, period: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst)
}

/// The limiters of one server process.
pub struct Throttle {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_account_minute: DefaultKeyedRateLimiter<String>,
    by_account_hour: DefaultKeyedRateLimiter<String>,
    /// Read the client's address from the last `X-Forwarded-For` entry (behind one reverse
    /// proxy that appends it), not from the connection.
    pub trust_forwarded_for: bool,
}

impl Throttle {
    pub fn new(trust_forwarded_for: bool) -> Throttle {
        Throttle {
            by_address: RateLimiter::keyed(quota(ADDRESS_BURST, ADDRESS_PERIOD)),
            by_account_minute: RateLimiter::keyed(quota(ACCOUNT_MINUTE_BURST, ACCOUNT_MINUTE_PERIOD)),
            by_account_hour: RateLimiter::keyed(quota(ACCOUNT_HOUR_BURST, ACCOUNT_HOUR_PERIOD)),
            trust_forwarded_for,
        }
    }

    /// Counts one attempt from `address` at `account` (a login's username, lower-cased): a
    /// 429 `auth.too_many_attempts` with the seconds to wait when either is over its limit.
    pub fn attempt(&self, address: Option<IpAddr>, account: Option<&str>) -> Result<(), ApiError> {
        let clock = DefaultClock::default();
        let refused = |wait: Duration| {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::new(ErrorCode::AuthTooManyAttempts).with("retry_after", seconds.max(1))
        };
        if let Some(address) = address {
            self.by_address.check_key(&address).map_err(|n| refused(n.wait_time_from(clock.now())))?;
        }
        if let Some(account) = account {
            let key = account.to_owned();
            self.by_account_minute.check_key(&key).map_err(|n| refused(n.wait_time_from(clock.now())))?;
            self.by_account_hour.check_key(&key).map_err(|n| refused(n.wait_time_from(clock.now())))?;
        }
        Ok(())
    }

    /// Forgets the keys whose limits have recovered (called from time to time).
    pub fn forget_recovered(&self) {
        self.by_address.retain_recent();
        self.by_account_minute.retain_recent();
        self.by_account_hour.retain_recent();
    }
}
