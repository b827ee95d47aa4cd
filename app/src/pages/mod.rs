//! One file per page; the wizard's steps are one page ([`step`]) drawn from the wizard's
//! description, with the websites' and the documents' sections in their own files.

pub mod apply;
pub mod cancel;
pub mod check;
pub mod console;
pub mod documents;
pub mod instances;
pub mod login;
pub mod lookup;
pub mod order;
pub mod records;
pub mod review;
pub mod start;
pub mod step;
pub mod websites;
