//! Widgets every step shares, so that every field behaves the same.

pub mod field;
pub mod requirements;
pub mod summary;

pub use field::{CheckboxField, SelectField, TextField};
pub use requirements::requirements_view;
pub use summary::ErrorSummary;
