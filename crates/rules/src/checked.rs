//! A checked application: an [`Application`] that passed every rule on a day. Only
//! [`check_application`] builds one, so code that takes a `CheckedApplication` (the store's
//! submission) cannot be handed answers that were never validated, or validated in another
//! version (ripgrep's lenient arguments → checked arguments).

use chrono::NaiveDate;

use crate::application::{Application, validate_application};
use crate::problem::{Finding, passes};

/// An application with no error finding as of `date`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedApplication {
    application: Application,
    date: NaiveDate,
    /// Its warnings (findings that do not stop it).
    warnings: Vec<Finding>,
}

impl CheckedApplication {
    /// The answers that were checked.
    pub fn application(&self) -> &Application {
        &self.application
    }

    /// The day the rules were applied as of.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The warnings found.
    pub fn warnings(&self) -> &[Finding] {
        &self.warnings
    }
}

/// Checks `application` as of `date`: a checked application, or every finding when an error
/// stops it.
pub fn check_application(application: &Application, date: NaiveDate) -> Result<CheckedApplication, Vec<Finding>> {
    let findings = validate_application(application, date);
    if passes(&findings) {
        Ok(CheckedApplication { application: application.clone(), date, warnings: findings })
    } else {
        Err(findings)
    }
}
