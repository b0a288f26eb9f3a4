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

/// Minutes from `minute` of `weekday` until the inbox next opens: 0 while it is open, `None`
/// for a week that never opens.
pub fn minutes_until_open(week: &[WorkingHoursDay], weekday: u8, minute: u16) -> Option<u32> {
    if is_open(week, weekday, minute) {
        return Some(0);
    }
    (0..=7u32).find_map(|ahead| {
        let day = week
            .iter()
            .find(|day| u32::from(day.day_of_week) == (u32::from(weekday) + ahead) % 7)?;
        let opens = match (day.closed_all_day, day.open_all_day) {
            (true, _) => return None,
            (false, true) => 0,
            (false, false) => u32::from(day.open_hour?) * 60 + u32::from(day.open_minutes.unwrap_or(0)),
        };
        let from_now = (ahead * 24 * 60 + opens).checked_sub(u32::from(minute))?;
        // Today's opening already passed: the search goes on to the next days.
        (ahead > 0 || from_now > 0).then_some(from_now)
    })
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
    fn the_next_opening_is_found_across_days_and_the_week() {
        let week = WorkingHoursDay::default_week();
        assert_eq!(minutes_until_open(&week, 2, 10 * 60), Some(0), "open now");
        assert_eq!(minutes_until_open(&week, 2, 8 * 60 + 30), Some(30), "later today");
        assert_eq!(minutes_until_open(&week, 2, 17 * 60), Some(16 * 60), "tomorrow morning");
        assert_eq!(
            minutes_until_open(&week, 5, 18 * 60),
            Some(6 * 60 + 2 * 24 * 60 + 9 * 60),
            "after the weekend"
        );
        assert_eq!(
            minutes_until_open(&week, 6, 0),
            Some(2 * 24 * 60 + 9 * 60),
            "Saturday midnight to Monday nine"
        );
        let mut only_sunday = WorkingHoursDay::default_week();
        only_sunday
            .iter_mut()
            .for_each(|day| day.closed_all_day = day.day_of_week != 0);
        only_sunday[0].open_all_day = true;
        assert_eq!(minutes_until_open(&only_sunday, 0, 23 * 60), Some(0));
        assert_eq!(
            minutes_until_open(&only_sunday, 1, 0),
            Some(6 * 24 * 60),
            "a week ahead"
        );
        let mut never = WorkingHoursDay::default_week();
        never.iter_mut().for_each(|day| day.closed_all_day = true);
        assert_eq!(minutes_until_open(&never, 3, 600), None);
        assert_eq!(minutes_until_open(&[], 3, 600), None);
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
