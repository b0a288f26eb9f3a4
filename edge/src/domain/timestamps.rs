//! Timestamps as the seed-compatible routes write them: Rocket.Chat's ISO-8601 UTC with
//! milliseconds (`2026-11-21T10:00:00.000Z`), SuperOffice's ISO-8601 with an offset
//! (`2026-11-21T10:00:00+00:00`).

/// `(year, month, day)` of a day counted from 1970-01-01 (Howard Hinnant's civil algorithm).
pub fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day, counted from 1970-01-01, of a date: the inverse of [`civil_date`].
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_index = i64::from(if month > 2 { month - 3 } else { month + 9 });
    let day_of_year = (153 * month_index + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn iso_utc_millis(unix_millis: i64) -> String {
    let (seconds, millis) = (unix_millis.div_euclid(1000), unix_millis.rem_euclid(1000));
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SS+00:00`: UTC, its offset written out.
pub fn iso_with_offset(unix_seconds: i64) -> String {
    let utc = iso_utc_millis(unix_seconds.saturating_mul(1000));
    format!("{}+00:00", &utc[..19])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso_utc_millis(0), "1970-01-01T00:00:00.000Z");
        // Rocket.Chat's own example.
        assert_eq!(iso_utc_millis(1_560_279_717_424), "2019-06-11T19:01:57.424Z");
        assert_eq!(iso_utc_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_utc_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_utc_millis(1_795_255_200_000), "2026-11-21T10:00:00.000Z");
        assert_eq!(iso_with_offset(1_795_255_200), "2026-11-21T10:00:00+00:00");
    }

    #[test]
    fn days_and_dates_convert_both_ways() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in (-800_000..800_000).step_by(997) {
            let (year, month, day) = civil_date(days);
            assert_eq!(days_from_civil(year, month, day), days, "{year}-{month}-{day}");
        }
    }
}
