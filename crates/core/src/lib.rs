//! ahq's core: compile the answers to a network's ad-hoc queries, from
//! bytes to bytes. It has no file system, no processes, no threads and no
//! terminal, so that the command line (the `ahq` crate) and the web page
//! (`ahq-web`, WebAssembly) run the same rules.
//!
//! The pipeline runs one way: bytes in ([`reading`]), answers found by their
//! anchors ([`layout`]), normalised into one [`record::Record`] per country
//! ([`normalise`], with [`dissemination`] and [`numbered`]), checked across
//! files ([`validate`]); then, per audience, rows as the dissemination
//! [`policy`] allows ([`policy`]), counted into a [`compile::Compilation`],
//! rendered to each format's bytes ([`render`]).
//! [`template`] writes the workbook member states fill in. These two, the
//! writers, come with the default `writers` feature: the web page, which
//! only validates, is built without them.

pub mod analysis;
pub mod changes;
pub mod compile;
pub mod country;
pub mod dates;
pub mod decisions;
pub mod dissemination;
pub mod error;
pub mod layout;
pub mod mail;
pub mod network;
pub mod normalise;
pub mod numbered;
pub mod policy;
pub mod query;
pub mod reading;
pub mod record;
#[cfg(feature = "writers")]
pub mod render;
pub mod restriction;
pub mod status;
#[cfg(feature = "writers")]
pub mod template;
pub mod templates;
pub mod text;
pub mod validate;
pub mod versions;
pub mod vocabulary;

pub use error::{Error, Result};
