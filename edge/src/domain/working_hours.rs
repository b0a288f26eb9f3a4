//! Whether an inbox is within its business hours.

use nimchat_shared::wire::WorkingHoursDay;

/// `weekday` 0 is Sunday; `minute` counts from local midnight. The closing minute is out.
pub fn is_open(week: &[WorkingHoursDay], weekday: u8, minute: u16) -> bool {
    let Some(day) = week.iter().find(|day| day.day_of_week == weekday) else {
        return false;
    };
    if day.closed_all_day {
        return false;
    }
    if day.open_all_day {
        return true;
    }
    let at = |hour: Option<u8>, minutes: Option<u8>| Some(u16::from(hour?) * 60 + u16::from(minutes.unwrap_or(0)));
    match (
        at(day.open_hour, day.open_minutes),
        at(day.close_hour, day.close_minutes),
    ) {
        (Some(open), Some(close)) => open <= minute && minute < close,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_week_is_weekdays_nine_to_five() {
        let week = WorkingHoursDay::default_week();
        assert!(is_open(&week, 1, 9 * 60));
        assert!(is_open(&week, 5, 17 * 60 - 1));
        assert!(!is_open(&week, 5, 17 * 60));
        assert!(!is_open(&week, 3, 8 * 60 + 59));
        assert!(!is_open(&week, 0, 12 * 60));
        assert!(!is_open(&week, 6, 12 * 60));
    }

    #[test]
    fn open_all_day_and_missing_days() {
        let mut week = WorkingHoursDay::default_week();
        week[6].closed_all_day = false;
        week[6].open_all_day = true;
        assert!(is_open(&week, 6, 0));
        assert!(!is_open(&[], 1, 600));
    }
}
