//! ahq: compile the answers to a network's ad-hoc queries.
//!
//! The pipeline runs one way: files in ([`reading`]), answers found by their
//! anchors ([`layout`]), normalised into one [`record::Record`] per country
//! ([`normalise`], with [`dissemination`] and [`numbered`]), checked across
//! files ([`validate`]). [`template`] writes the workbook member states fill in.

pub mod country;
pub mod dissemination;
pub mod error;
pub mod layout;
pub mod network;
pub mod normalise;
pub mod numbered;
pub mod query;
pub mod reading;
pub mod record;
pub mod template;
pub mod templates;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
