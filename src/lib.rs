//! The ahq command line's library: the core ([`ahq_core`], re-exported
//! whole, so `ahq::validate`, `ahq::render` … are the core's), and what only
//! a command line has: files and folders ([`files`]), reading each file in
//! a separate process with its own limits ([`isolate`]), and outputs written
//! whole or not at all ([`output`]).

pub use ahq_core::*;

pub mod files;
pub mod index;

/// Today in UTC, from the system clock: the one reading of the clock
/// (the core reads none).
pub fn today() -> toml::value::Date {
    ahq_core::dates::day_of(std::time::SystemTime::now())
}

pub mod isolate;
pub mod output;
pub mod page;
