//! Calendar days: the day of a moment, and the loose dates people type in
//! a cell. The core reads no clock: the command line says what today is.
//!
//! Days are toml's `Date` (what `query.toml` holds); no time of day, no zone.

use toml::value::Date;

/// The (UTC) day of a moment, such as a file's modification time.
pub fn day_of(t: std::time::SystemTime) -> Date {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    from_days((secs / 86_400) as i64)
}

/// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date { year, month, day }
}

/// `2010-07-26`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// A day as people write it in a response: `2010-08-20` (also the start of
/// `2010-08-20T10:00:00Z`), `20/08/2010`, `20.08.2010`, `20-08-2010`.
/// Day-first for the slashed forms, as in Europe. `None` when it is not a
/// real day: a caller then says so rather than guess.
pub fn parse_day(text: &str) -> Option<Date> {
    let t = text.trim();
    let digits = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let iso_part = t.get(..10).filter(|p| {
        let b = p.as_bytes();
        b[4] == b'-' && b[7] == b'-' && (t.len() == 10 || matches!(t.as_bytes()[10], b'T' | b' '))
    });
    let (y, m, d) = if let Some(p) = iso_part {
        (digits(&p[..4])?, digits(&p[5..7])?, digits(&p[8..10])?)
    } else {
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        let [d, m, y] = parts.as_slice() else {
            return None;
        };
        let (d, m, y) = (digits(d)?, digits(m)?, digits(y)?);
        if y < 1000 {
            return None;
        }
        (y, m, d)
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month).contains(&d).then_some(Date {
        year: y as u16,
        month: m as u8,
        day: d as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_become_civil_dates() {
        assert_eq!(iso(from_days(0)), "1970-01-01");
        assert_eq!(iso(from_days(14_816)), "2010-07-26");
        assert_eq!(iso(from_days(11_016)), "2000-02-29");
        assert_eq!(iso(from_days(20_780)), "2026-11-23");
    }

    #[test]
    fn typed_dates_are_read_day_first_and_checked() {
        let p = |s| parse_day(s).map(iso);
        assert_eq!(p("2010-08-20").as_deref(), Some("2010-08-20"));
        assert_eq!(p("2010-08-20T10:00:00Z").as_deref(), Some("2010-08-20"));
        assert_eq!(p("20/08/2010").as_deref(), Some("2010-08-20"));
        assert_eq!(p(" 1.9.2010 ").as_deref(), Some("2010-09-01"));
        assert_eq!(p("31/02/2010"), None);
        assert_eq!(p("20/08/10"), None);
        assert_eq!(p("August 2010"), None);
        assert_eq!(p("2010-08-2x"), None);
        assert_eq!(p(""), None);
    }
}
