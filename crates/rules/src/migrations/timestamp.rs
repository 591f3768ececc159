//! Calendar dates and times as migration names carry them, validated for real (no month 13, no
//! 30 February, no minute 60, leap years counted), and today's date from the system clock.

use std::fmt;

/// A calendar date that exists.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

/// A date with the time of day a migration name carries (minutes or seconds precision, or none).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Stamp {
    pub date: Date,
    /// (hour, minute, second); the second is `None` when the name has minutes only.
    pub time: Option<(u32, u32, Option<u32>)>,
}

pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(digits: &str) -> u32 {
    digits.parse().unwrap_or(u32::MAX)
}

impl Date {
    /// `yyyymmdd`, validated. The error says what is wrong in words.
    pub fn parse_compact(digits: &str) -> Result<Date, String> {
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{digits}` is not an 8-digit date"));
        }
        Date::new(num(&digits[0..4]), num(&digits[4..6]), num(&digits[6..8]))
            .map_err(|e| format!("`{digits}` is not a valid date: {e}"))
    }

    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(format!("month {month} of {year} has {days} days"));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (`civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `HHmm` or `HHMMSS`, validated.
pub fn parse_time(digits: &str) -> Result<(u32, u32, Option<u32>), String> {
    let ok_len = digits.len() == 4 || digits.len() == 6;
    if !ok_len || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{digits}` is not a time"));
    }
    let (h, m) = (num(&digits[0..2]), num(&digits[2..4]));
    let s = (digits.len() == 6).then(|| num(&digits[4..6]));
    if h > 23 {
        return Err(format!("`{digits}` is not a valid time: hour {h}"));
    }
    if m > 59 {
        return Err(format!("`{digits}` is not a valid time: minute {m}"));
    }
    if let Some(s) = s.filter(|s| *s > 59) {
        return Err(format!("`{digits}` is not a valid time: second {s}"));
    }
    Ok((h, m, s))
}

impl Stamp {
    /// `yyyymmdd` + `HHmm`/`HHMMSS`.
    pub fn parse(date: &str, time: Option<&str>) -> Result<Stamp, String> {
        let date = Date::parse_compact(date)?;
        let time = time.map(parse_time).transpose()?;
        Ok(Stamp { date, time })
    }

    /// `yyyymmdd_HHmm` (the seed's form); None without a time of day.
    pub fn seed(self) -> Option<String> {
        let (h, m, _) = self.time?;
        Some(format!("{}_{h:02}{m:02}", self.date.compact()))
    }

    /// `yyyymmddHHMMSS` (sqlx-cli's form); seconds 00 when unknown.
    pub fn digits14(self) -> Option<String> {
        let (h, m, s) = self.time?;
        Some(format!(
            "{}{h:02}{m:02}{:02}",
            self.date.compact(),
            s.unwrap_or(0)
        ))
    }

    /// `YYYY-MM-DD-HHMMSS` (diesel-cli's form).
    pub fn diesel(self) -> Option<String> {
        let (h, m, s) = self.time?;
        Some(format!(
            "{:04}-{:02}-{:02}-{h:02}{m:02}{:02}",
            self.date.year,
            self.date.month,
            self.date.day,
            s.unwrap_or(0)
        ))
    }

    /// The same minute (what the seed's names can tell apart).
    pub fn same_minute(self, other: Stamp) -> bool {
        self.date == other.date
            && self.time.map(|(h, m, _)| (h, m)) == other.time.map(|(h, m, _)| (h, m))
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)?;
        if let Some((h, m, s)) = self.time {
            write!(f, " {h:02}:{m:02}")?;
            if let Some(s) = s {
                write!(f, ":{s:02}")?;
            }
        }
        Ok(())
    }
}

/// Is `date` after `today` by more than a day (a day of slack covers every time zone)?
pub fn in_future(date: Date, today: Date) -> bool {
    date.days() > today.days() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert!(Date::parse_compact("20240229").is_ok());
        assert_eq!(
            Date::parse_compact("20230229").unwrap_err(),
            "`20230229` is not a valid date: month 2 of 2023 has 28 days"
        );
        assert!(Date::parse_compact("21000229").is_err());
        assert!(Date::parse_compact("20000229").is_ok());
        assert!(Date::parse_compact("20261301")
            .unwrap_err()
            .contains("no month 13"));
        assert!(Date::parse_compact("2026011").is_err());
        assert!(parse_time("0960").unwrap_err().contains("minute 60"));
        assert!(parse_time("2400").unwrap_err().contains("hour 24"));
        assert!(parse_time("093060").unwrap_err().contains("second 60"));
        assert_eq!(parse_time("093015"), Ok((9, 30, Some(15))));
    }

    #[test]
    fn days_round_trip() {
        for (y, m, d, days) in [
            (1970, 1, 1, 0),
            (2000, 3, 1, 11_017),
            (2026, 11, 26, 20_783),
        ] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(date.days(), days, "{date}");
            assert_eq!(Date::from_days(days), date);
        }
        for n in (0..40_000).step_by(37) {
            assert_eq!(Date::from_days(n).days(), n);
        }
        assert!(Date::today_utc().year >= 2024);
    }

    #[test]
    fn forms() {
        let s = Stamp::parse("20260117", Some("0930")).unwrap();
        assert_eq!(s.seed().as_deref(), Some("20260117_0930"));
        assert_eq!(s.digits14().as_deref(), Some("20260117093000"));
        assert_eq!(s.diesel().as_deref(), Some("2026-01-17-093000"));
        assert_eq!(s.to_string(), "2026-01-17 09:30");
        assert_eq!(Stamp::parse("20260117", None).unwrap().seed(), None);
    }

    #[test]
    fn future() {
        let today = Date::new(2026, 11, 26).unwrap();
        assert!(!in_future(Date::new(2026, 11, 27).unwrap(), today));
        assert!(in_future(Date::new(2026, 11, 28).unwrap(), today));
        assert!(!in_future(Date::new(2025, 1, 1).unwrap(), today));
    }
}
