//! Networks and who belongs to them when, from `templates/networks/*.toml`.

use crate::country::Countries;
use crate::error::{Error, Result};
use crate::templates::builtin_toml;
use serde::Deserialize;
use std::sync::OnceLock;
use toml::value::Date;

const EMN: &str = builtin_toml!(include_str!("../../../templates/networks/emn.toml"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A member state: listed first in compilations.
    Member,
    /// Everyone else (Norway, observers): listed after the member states.
    Observer,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Membership {
    pub code: String,
    pub role: Role,
    pub joined: Date,
    /// Last day in the network, for those who left.
    #[serde(default)]
    pub left: Option<Date>,
}

impl Membership {
    pub fn active_on(&self, day: Date) -> bool {
        date_key(self.joined) <= date_key(day)
            && self.left.is_none_or(|l| date_key(day) <= date_key(l))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Network {
    /// Short name used in texts: "Requested by Austria EMN NCP".
    pub name: String,
    pub long_name: String,
    /// What a member's contact is called ("NCP").
    pub contact_point: String,
    #[serde(rename = "member")]
    pub members: Vec<Membership>,
}

/// Orders dates; toml's Date has no Ord of its own.
pub fn date_key(d: Date) -> (u16, u8, u8) {
    (d.year, d.month, d.day)
}

impl Network {
    /// A built-in network by its id (`emn`).
    pub fn builtin(id: &str) -> Option<Result<&'static Network>> {
        static EMN_CELL: OnceLock<std::result::Result<Network, String>> = OnceLock::new();
        match id.to_ascii_lowercase().as_str() {
            "emn" => Some(
                EMN_CELL
                    .get_or_init(|| Network::parse(EMN))
                    .as_ref()
                    .map_err(|message| Error::BuiltIn {
                        name: "templates/networks/emn.toml",
                        message: message.clone(),
                    }),
            ),
            _ => None,
        }
    }

    /// The ids `builtin` knows, for messages.
    pub fn builtin_ids() -> &'static [&'static str] {
        &["emn"]
    }

    fn parse(text: &str) -> std::result::Result<Network, String> {
        let n: Network = toml::from_str(text).map_err(|e| e.to_string())?;
        let countries = Countries::builtin().map_err(|e| e.to_string())?;
        for m in &n.members {
            if countries.by_code(&m.code).is_none() {
                return Err(format!(
                    "member {} is not in templates/countries.toml",
                    m.code
                ));
            }
        }
        Ok(n)
    }

    /// Codes of those in the network on `day`, in the table's order.
    pub fn members_on(&self, day: Date) -> Vec<&Membership> {
        self.members.iter().filter(|m| m.active_on(day)).collect()
    }

    pub fn membership(&self, code: &str) -> Option<&Membership> {
        self.members.iter().find(|m| m.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: u16, m: u8, d: u8) -> Date {
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    fn codes_on(d: Date) -> Vec<String> {
        let n = Network::builtin("emn").unwrap().unwrap();
        n.members_on(d).iter().map(|m| m.code.clone()).collect()
    }

    #[test]
    fn membership_follows_the_dates() {
        let in_2010 = codes_on(day(2010, 7, 26));
        assert!(in_2010.contains(&"UK".to_string()));
        assert!(!in_2010.contains(&"HR".to_string()));
        assert!(
            !in_2010.contains(&"DK".to_string()),
            "Denmark is not in the EMN"
        );
        assert!(!in_2010.contains(&"GE".to_string()));
        let in_2020 = codes_on(day(2020, 1, 31));
        assert!(
            in_2020.contains(&"UK".to_string()),
            "31 January 2020 was the UK's last day"
        );
        let after = codes_on(day(2020, 2, 1));
        assert!(!after.contains(&"UK".to_string()));
        assert!(after.contains(&"HR".to_string()));
        let in_2021 = codes_on(day(2021, 3, 11));
        assert!(in_2021.contains(&"GE".to_string()) && !in_2021.contains(&"MD".to_string()));
        let in_2025 = codes_on(day(2025, 7, 1));
        for c in ["GE", "MD", "UA", "ME", "AM", "RS", "MK", "AL", "NO"] {
            assert!(in_2025.contains(&c.to_string()), "{c}");
        }
        // 26 member states (all but Denmark), Norway and 8 observers.
        assert_eq!(in_2025.len(), 26 + 1 + 8);
    }

    #[test]
    fn unknown_network_is_none() {
        assert!(Network::builtin("xyz").is_none());
        assert!(Network::builtin("EMN").is_some());
    }
}
