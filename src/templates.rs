//! The fixed texts under `templates/`, with the network's names filled in.
//!
//! They live in files, not code, so that wording can be reviewed and changed
//! without touching the program; they are built in at compile time.

use crate::network::Network;
use toml::value::Date;

/// The commented starter `query.toml` that `ahq new` writes.
pub const STARTER_QUERY: &str = include_str!("../templates/query.toml");
const DISCLAIMER: &str = include_str!("../templates/disclaimer.txt");
const STATEMENT: &str = include_str!("../templates/statement.txt");
const INSTRUCTIONS: &str = include_str!("../templates/instructions.txt");

fn fill(text: &str, network: &Network) -> String {
    text.trim()
        .replace("{network}", &network.name)
        .replace("{contact_point}", &network.contact_point)
}

/// The disclaimer printed on every compilation.
pub fn disclaimer(network: &Network) -> String {
    fill(DISCLAIMER, network)
}

/// What replaces a restricted response in the compilation for wider dissemination.
pub fn statement(network: &Network) -> String {
    fill(STATEMENT, network)
}

/// The instructions at the top of a response template.
pub fn instructions(network: &Network, deadline: Option<Date>) -> String {
    let clause = deadline.map_or(String::new(), |d| format!(" by {}", long_date(d)));
    fill(INSTRUCTIONS, network).replace("{deadline_clause}", &clause)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as compilations write it: "26th July 2010", "1st March 2021".
pub fn long_date(d: Date) -> String {
    let suffix = match (d.day % 10, d.day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let month = MONTHS
        .get(usize::from(d.month).saturating_sub(1))
        .unwrap_or(&"?");
    format!("{}{suffix} {month} {}", d.day, d.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn long_dates_are_written_as_the_seed_writes_them() {
        assert_eq!(long_date(date(2010, 7, 26)), "26th July 2010");
        assert_eq!(long_date(date(2010, 10, 8)), "8th October 2010");
        assert_eq!(long_date(date(2021, 3, 1)), "1st March 2021");
        assert_eq!(long_date(date(2021, 3, 2)), "2nd March 2021");
        assert_eq!(long_date(date(2021, 3, 3)), "3rd March 2021");
        assert_eq!(long_date(date(2021, 3, 11)), "11th March 2021");
        assert_eq!(long_date(date(2021, 3, 12)), "12th March 2021");
        assert_eq!(long_date(date(2021, 3, 22)), "22nd March 2021");
    }

    #[test]
    fn the_statement_names_the_network() {
        let emn = Network::builtin("emn").unwrap().unwrap();
        assert_eq!(
            statement(emn),
            "This EMN NCP has provided a response to the requesting EMN NCP. However, they have \
             requested that it is not disseminated further."
        );
        assert!(disclaimer(emn).starts_with("Disclaimer: The following responses"));
        assert!(instructions(emn, Some(date(2010, 8, 31))).contains("by 31st August 2010"));
    }
}
