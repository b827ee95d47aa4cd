//! Widgets every page shares, so that every field behaves the same.

pub mod field;
pub mod notice;
pub mod requirements;
pub mod summary;

pub use field::{Checkbox, Field};
pub use notice::{ConflictPanel, Notice, OfferPanel};
pub use requirements::requirements_view;
pub use summary::{ErrorSummary, Problem};

/// Sets the document title (the error summary adds its prefix on top).
pub fn set_title(text: String) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{text} · Beian 备案助手"));
    }
}
