//! Reports (contract 7.4): what the parameters mean, the calendar buckets of a time series,
//! the window before, which messages the reply metrics count, and the metrics' values from
//! the counts and sums the store reads.

use nimchat_shared::enums::{MessageType, SenderType};
use nimchat_shared::wire::{ReportMetrics, ReportPoint};

use super::timestamps::{civil_date, days_from_civil};

const DAY: i64 = 86_400;
/// The longest window a report covers.
const MAX_WINDOW_DAYS: i64 = 366;

/// A parameter a report cannot use: a 422 naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter {
    pub parameter: &'static str,
    pub message: String,
}

fn bad(parameter: &'static str, message: impl Into<String>) -> BadParameter {
    BadParameter {
        parameter,
        message: message.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    ConversationsCount,
    IncomingMessagesCount,
    OutgoingMessagesCount,
    AvgFirstResponseTime,
    AvgResolutionTime,
    ResolutionsCount,
    ReplyTime,
}

/// A recorded moment the time metrics read (table `reporting_events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventName {
    FirstResponse,
    Reply,
    Resolution,
}

impl EventName {
    const ALL: [EventName; 3] = [EventName::FirstResponse, EventName::Reply, EventName::Resolution];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            EventName::FirstResponse => "first_response",
            EventName::Reply => "reply",
            EventName::Resolution => "resolution",
        }
    }

    pub fn parse(stored: &str) -> Option<EventName> {
        EventName::ALL.into_iter().find(|name| name.as_str() == stored)
    }

    /// As Chatwoot's `reporting_events` routes name it.
    pub fn chatwoot_name(self) -> &'static str {
        match self {
            EventName::FirstResponse => "first_response",
            EventName::Reply => "reply_time",
            EventName::Resolution => "conversation_resolved",
        }
    }

    pub fn from_chatwoot_name(name: &str) -> Option<EventName> {
        EventName::ALL.into_iter().find(|event| event.chatwoot_name() == name)
    }
}

/// The rows a metric counts or averages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Conversations,
    IncomingMessages,
    /// Outgoing, non-private messages, whoever sent them.
    OutgoingMessages,
    Events(EventName),
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Conversations,
        Source::IncomingMessages,
        Source::OutgoingMessages,
        Source::Events(EventName::FirstResponse),
        Source::Events(EventName::Reply),
        Source::Events(EventName::Resolution),
    ];
}

impl Metric {
    /// In the order `reports/summary` lists them.
    pub const ALL: [Metric; 7] = [
        Metric::ConversationsCount,
        Metric::IncomingMessagesCount,
        Metric::OutgoingMessagesCount,
        Metric::AvgFirstResponseTime,
        Metric::AvgResolutionTime,
        Metric::ResolutionsCount,
        Metric::ReplyTime,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::ConversationsCount => "conversations_count",
            Metric::IncomingMessagesCount => "incoming_messages_count",
            Metric::OutgoingMessagesCount => "outgoing_messages_count",
            Metric::AvgFirstResponseTime => "avg_first_response_time",
            Metric::AvgResolutionTime => "avg_resolution_time",
            Metric::ResolutionsCount => "resolutions_count",
            Metric::ReplyTime => "reply_time",
        }
    }

    pub fn parse(given: Option<&str>) -> Result<Metric, BadParameter> {
        let names: Vec<&str> = Metric::ALL.iter().map(|metric| metric.name()).collect();
        Metric::ALL
            .into_iter()
            .find(|metric| Some(metric.name()) == given)
            .ok_or_else(|| bad("metric", format!("metric must be one of {}", names.join(", "))))
    }

    pub fn source(self) -> Source {
        match self {
            Metric::ConversationsCount => Source::Conversations,
            Metric::IncomingMessagesCount => Source::IncomingMessages,
            Metric::OutgoingMessagesCount => Source::OutgoingMessages,
            Metric::AvgFirstResponseTime => Source::Events(EventName::FirstResponse),
            Metric::AvgResolutionTime | Metric::ResolutionsCount => Source::Events(EventName::Resolution),
            Metric::ReplyTime => Source::Events(EventName::Reply),
        }
    }

    fn is_average(self) -> bool {
        matches!(
            self,
            Metric::AvgFirstResponseTime | Metric::AvgResolutionTime | Metric::ReplyTime
        )
    }
}

/// What a report covers (`type` and `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Account,
    Agent(i64),
    Inbox(i64),
    /// A label's title.
    Label(String),
    Team(i64),
}

impl Scope {
    pub fn parse(kind: Option<&str>, id: Option<&str>) -> Result<Scope, BadParameter> {
        let id = id.map(str::trim).filter(|id| !id.is_empty());
        let numeric = || {
            let id = id.ok_or_else(|| bad("id", "id is required for this type"))?;
            id.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| bad("id", "id must be a positive integer for this type"))
        };
        match kind {
            Some("account") => Ok(Scope::Account),
            Some("agent") => numeric().map(Scope::Agent),
            Some("inbox") => numeric().map(Scope::Inbox),
            Some("team") => numeric().map(Scope::Team),
            Some("label") => id
                .map(|title| Scope::Label(title.to_string()))
                .ok_or_else(|| bad("id", "id (the label's title) is required for type label")),
            _ => Err(bad("type", "type must be one of account, agent, inbox, label, team")),
        }
    }
}

/// A half-open span of Unix seconds, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

impl Window {
    /// `[since, until]` from the parameters: both required, in order, at most 366 days apart.
    pub fn parse(since: Option<&str>, until: Option<&str>) -> Result<Window, BadParameter> {
        let seconds = |parameter: &'static str, given: Option<&str>| {
            given
                .ok_or_else(|| bad(parameter, format!("{parameter} is required (Unix seconds)")))?
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|seconds| seconds.unsigned_abs() < 1 << 40)
                .ok_or_else(|| bad(parameter, format!("{parameter} must be an integer (Unix seconds)")))
        };
        let since = seconds("since", since)?;
        let until = seconds("until", until)?;
        if since > until {
            return Err(bad("until", "until must not be before since"));
        }
        if until - since > MAX_WINDOW_DAYS * DAY {
            return Err(bad("until", "A report covers at most 366 days"));
        }
        Ok(Window {
            from: since,
            to: until + 1,
        })
    }

    /// `[since - (until - since), since)`: as long as this one, just before it.
    pub fn previous(self) -> Window {
        let span = self.to - 1 - self.from;
        Window {
            from: self.from - span,
            to: self.from,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    /// Weeks start on Monday.
    Week,
    Month,
}

impl GroupBy {
    pub fn parse(given: Option<&str>) -> Result<GroupBy, BadParameter> {
        match given {
            None | Some("day") => Ok(GroupBy::Day),
            Some("week") => Ok(GroupBy::Week),
            Some("month") => Ok(GroupBy::Month),
            Some(_) => Err(bad("group_by", "group_by must be day, week or month")),
        }
    }
}

/// `timezone_offset`, hours east of UTC from -12 to 14 (fractions allowed), as seconds.
pub fn parse_timezone_offset(given: Option<&str>) -> Result<i64, BadParameter> {
    let Some(given) = given else { return Ok(0) };
    given
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|hours| (-12.0..=14.0).contains(hours))
        .map(|hours| (hours * 3600.0).round() as i64)
        .ok_or_else(|| {
            bad(
                "timezone_offset",
                "timezone_offset must be a number of hours from -12 to 14",
            )
        })
}

/// One period of a time series: it starts at `timestamp` and counts what is in `[from, to)`,
/// its part of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub timestamp: i64,
    pub from: i64,
    pub to: i64,
}

/// The day (from 1970-01-01) on which the period holding `local_day` starts.
fn first_day_of_period(local_day: i64, group_by: GroupBy) -> i64 {
    match group_by {
        GroupBy::Day => local_day,
        // 1970-01-01 was a Thursday, three days after a Monday.
        GroupBy::Week => local_day - (local_day + 3).rem_euclid(7),
        GroupBy::Month => {
            let (year, month, _) = civil_date(local_day);
            days_from_civil(year, month, 1)
        }
    }
}

fn first_day_of_next_period(first_day: i64, group_by: GroupBy) -> i64 {
    match group_by {
        GroupBy::Day => first_day + 1,
        GroupBy::Week => first_day + 7,
        GroupBy::Month => {
            let (year, month, _) = civil_date(first_day);
            if month == 12 {
                days_from_civil(year + 1, 1, 1)
            } else {
                days_from_civil(year, month + 1, 1)
            }
        }
    }
}

/// The calendar periods at `offset` seconds east of UTC from the one holding the window's
/// start to the one holding its end, ascending, without gaps.
pub fn buckets(window: Window, group_by: GroupBy, offset: i64) -> Vec<Bucket> {
    let mut day = first_day_of_period((window.from + offset).div_euclid(DAY), group_by);
    let mut buckets = Vec::new();
    loop {
        let start = day * DAY - offset;
        if start >= window.to {
            return buckets;
        }
        let next = first_day_of_next_period(day, group_by);
        buckets.push(Bucket {
            timestamp: start,
            from: start.max(window.from),
            to: (next * DAY - offset).min(window.to),
        });
        day = next;
    }
}

/// What the store reads for a metric over a span: how many rows, and the sum of their values
/// (seconds) for the averages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: i64,
    pub total: i64,
}

impl Tally {
    fn mean(self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.total as f64 / self.count as f64
        }
    }
}

impl Metric {
    /// The series entry of a bucket.
    pub fn point(self, timestamp: i64, tally: Tally) -> ReportPoint {
        if self.is_average() {
            ReportPoint {
                value: serde_json::Number::from_f64(tally.mean()).unwrap_or_else(|| 0.into()),
                timestamp,
                count: Some(tally.count),
            }
        } else {
            ReportPoint {
                value: tally.count.into(),
                timestamp,
                count: None,
            }
        }
    }
}

/// The seven metrics from their tallies, in [`Metric::ALL`]'s order.
pub fn metrics(tallies: [Tally; 7]) -> ReportMetrics {
    let [conversations, incoming, outgoing, first_responses, resolutions, resolved, replies] = tallies;
    ReportMetrics {
        conversations_count: conversations.count,
        incoming_messages_count: incoming.count,
        outgoing_messages_count: outgoing.count,
        avg_first_response_time: first_responses.mean(),
        avg_resolution_time: resolutions.mean(),
        resolutions_count: resolved.count,
        reply_time: replies.mean(),
    }
}

/// What a new message does to the reply metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMark {
    /// A visitor's message: the conversation waits for a reply from then, if not already.
    Incoming,
    /// An outgoing, non-private message of a user (not a bot, a rule or a template): the
    /// first response or a reply, recorded now.
    HumanReply,
    Neither,
}

impl ReplyMark {
    pub fn of(message_type: MessageType, private: bool, sender: Option<SenderType>) -> ReplyMark {
        match (message_type, private, sender) {
            (MessageType::Incoming, _, _) => ReplyMark::Incoming,
            (MessageType::Outgoing, false, Some(SenderType::User)) => ReplyMark::HumanReply,
            _ => ReplyMark::Neither,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReplyMark::Incoming => "incoming",
            ReplyMark::HumanReply => "human_reply",
            ReplyMark::Neither => "neither",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-01 00:00 UTC, a Sunday.
    const MARCH_1: i64 = 1_772_323_200;

    fn window(since: i64, until: i64) -> Window {
        Window::parse(Some(&since.to_string()), Some(&until.to_string())).unwrap()
    }

    #[test]
    fn parameters_are_checked_and_named() {
        assert_eq!(Metric::parse(Some("reply_time")), Ok(Metric::ReplyTime));
        assert_eq!(Metric::parse(Some("replies")).unwrap_err().parameter, "metric");
        assert_eq!(Metric::parse(None).unwrap_err().parameter, "metric");
        assert_eq!(Scope::parse(Some("account"), None), Ok(Scope::Account));
        assert_eq!(Scope::parse(Some("inbox"), Some("7")), Ok(Scope::Inbox(7)));
        assert_eq!(
            Scope::parse(Some("label"), Some("billing")),
            Ok(Scope::Label("billing".into()))
        );
        assert_eq!(Scope::parse(Some("agent"), None).unwrap_err().parameter, "id");
        assert_eq!(Scope::parse(Some("team"), Some("x")).unwrap_err().parameter, "id");
        assert_eq!(Scope::parse(Some("team"), Some("0")).unwrap_err().parameter, "id");
        assert_eq!(Scope::parse(Some("label"), Some(" ")).unwrap_err().parameter, "id");
        assert_eq!(Scope::parse(Some("contact"), Some("1")).unwrap_err().parameter, "type");
        assert_eq!(Scope::parse(None, None).unwrap_err().parameter, "type");
        assert_eq!(Window::parse(None, Some("1")).unwrap_err().parameter, "since");
        assert_eq!(Window::parse(Some("1"), Some("1.5")).unwrap_err().parameter, "until");
        assert_eq!(Window::parse(Some("9"), Some("8")).unwrap_err().parameter, "until");
        assert_eq!(
            Window::parse(Some("0"), Some("31622400")),
            Ok(Window {
                from: 0,
                to: 31_622_401
            })
        );
        assert_eq!(
            Window::parse(Some("0"), Some("31622401")).unwrap_err().parameter,
            "until"
        );
        assert_eq!(
            Window::parse(Some("99999999999999999999"), Some("1"))
                .unwrap_err()
                .parameter,
            "since"
        );
        assert_eq!(GroupBy::parse(None), Ok(GroupBy::Day));
        assert_eq!(GroupBy::parse(Some("year")).unwrap_err().parameter, "group_by");
        assert_eq!(parse_timezone_offset(None), Ok(0));
        assert_eq!(parse_timezone_offset(Some("5.5")), Ok(19_800));
        assert_eq!(parse_timezone_offset(Some("-12")), Ok(-43_200));
        assert_eq!(
            parse_timezone_offset(Some("14.5")).unwrap_err().parameter,
            "timezone_offset"
        );
        assert_eq!(
            parse_timezone_offset(Some("NaN")).unwrap_err().parameter,
            "timezone_offset"
        );
    }

    #[test]
    fn the_previous_window_is_as_long_and_ends_where_this_one_starts() {
        assert_eq!(window(1000, 1600).previous(), Window { from: 400, to: 1000 });
        assert_eq!(window(1000, 1000).previous(), Window { from: 1000, to: 1000 });
    }

    #[test]
    fn days_cover_the_window_without_gaps_clipped_at_its_ends() {
        let buckets = buckets(window(MARCH_1 + 3600, MARCH_1 + 2 * DAY + 60), GroupBy::Day, 0);
        assert_eq!(
            buckets,
            [
                Bucket {
                    timestamp: MARCH_1,
                    from: MARCH_1 + 3600,
                    to: MARCH_1 + DAY
                },
                Bucket {
                    timestamp: MARCH_1 + DAY,
                    from: MARCH_1 + DAY,
                    to: MARCH_1 + 2 * DAY
                },
                Bucket {
                    timestamp: MARCH_1 + 2 * DAY,
                    from: MARCH_1 + 2 * DAY,
                    to: MARCH_1 + 2 * DAY + 61
                },
            ]
        );
        // A window inside one day is one bucket.
        assert_eq!(buckets_of(MARCH_1 + 10, MARCH_1 + 10, GroupBy::Day, 0), [MARCH_1]);
    }

    fn buckets_of(since: i64, until: i64, group_by: GroupBy, offset: i64) -> Vec<i64> {
        buckets(window(since, until), group_by, offset)
            .into_iter()
            .map(|bucket| bucket.timestamp)
            .collect()
    }

    #[test]
    fn days_start_at_the_offsets_midnight() {
        // 2026-03-01 02:00 UTC is 07:30 in India (+5.5) and 2026-02-28 21:00 in New York (-5).
        assert_eq!(
            buckets_of(MARCH_1 + 7200, MARCH_1 + 7200, GroupBy::Day, 19_800),
            [MARCH_1 - 19_800]
        );
        assert_eq!(
            buckets_of(MARCH_1 + 7200, MARCH_1 + 7200, GroupBy::Day, -18_000),
            [MARCH_1 - DAY + 18_000]
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        // Sunday 1 March belongs to the week of Monday 23 February; Monday 2 March starts one.
        assert_eq!(
            buckets_of(MARCH_1, MARCH_1 + DAY, GroupBy::Week, 0),
            [MARCH_1 - 6 * DAY, MARCH_1 + DAY]
        );
        // 1970-01-01, a Thursday, is in the week of Monday 1969-12-29.
        assert_eq!(buckets_of(0, 0, GroupBy::Week, 0), [-3 * DAY]);
    }

    #[test]
    fn months_are_calendar_months_at_the_offset() {
        let february_1 = MARCH_1 - 28 * DAY;
        let april_1 = MARCH_1 + 31 * DAY;
        assert_eq!(
            buckets_of(february_1 + 5, april_1 + 5, GroupBy::Month, 0),
            [february_1, MARCH_1, april_1]
        );
        // Just before midnight UTC on 31 January is already February at +2.
        assert_eq!(
            buckets_of(february_1 - 60, february_1 - 60, GroupBy::Month, 7200),
            [february_1 - 7200]
        );
        // December rolls into January.
        let december_1_2025 = days_from_civil(2025, 12, 1) * DAY;
        let january_1 = days_from_civil(2026, 1, 1) * DAY;
        assert_eq!(
            buckets_of(december_1_2025, january_1, GroupBy::Month, 0),
            [december_1_2025, january_1]
        );
    }

    #[test]
    fn a_year_by_day_has_a_bucket_per_day() {
        let buckets = buckets(window(MARCH_1, MARCH_1 + 366 * DAY), GroupBy::Day, 0);
        assert_eq!(buckets.len(), 367);
        assert!(buckets.windows(2).all(|pair| pair[0].to == pair[1].from));
    }

    #[test]
    fn counts_are_integers_and_averages_numbers_with_their_count() {
        let tally = Tally { count: 4, total: 10 };
        let count = Metric::ConversationsCount.point(7, tally);
        assert_eq!(
            serde_json::to_value(count).unwrap(),
            serde_json::json!({"value": 4, "timestamp": 7})
        );
        let average = Metric::ReplyTime.point(7, tally);
        assert_eq!(
            serde_json::to_value(average).unwrap(),
            serde_json::json!({"value": 2.5, "timestamp": 7, "count": 4})
        );
        let none = Metric::AvgFirstResponseTime.point(7, Tally::default());
        assert_eq!(serde_json::to_value(none).unwrap()["value"], 0.0);
    }

    #[test]
    fn the_summary_takes_each_metric_from_its_tally() {
        let tally = |count, total| Tally { count, total };
        let summary = metrics([
            tally(5, 0),
            tally(9, 0),
            tally(7, 0),
            tally(2, 120),
            tally(3, 900),
            tally(3, 900),
            tally(0, 0),
        ]);
        assert_eq!(summary.conversations_count, 5);
        assert_eq!(summary.incoming_messages_count, 9);
        assert_eq!(summary.outgoing_messages_count, 7);
        assert_eq!(summary.avg_first_response_time, 60.0);
        assert_eq!(summary.avg_resolution_time, 300.0);
        assert_eq!(summary.resolutions_count, 3);
        assert_eq!(summary.reply_time, 0.0);
    }

    #[test]
    fn the_summary_queries_the_source_of_every_metric() {
        for metric in Metric::ALL {
            assert!(Source::ALL.contains(&metric.source()), "{metric:?}");
        }
    }

    #[test]
    fn event_names_read_back_as_stored_and_as_chatwoot_names_them() {
        for name in EventName::ALL {
            assert_eq!(EventName::parse(name.as_str()), Some(name));
            assert_eq!(EventName::from_chatwoot_name(name.chatwoot_name()), Some(name));
        }
        assert_eq!(EventName::from_chatwoot_name("reply"), None);
        assert_eq!(EventName::parse("reply_time"), None);
    }

    #[test]
    fn only_a_users_public_outgoing_message_is_a_human_reply() {
        use MessageType::*;
        assert_eq!(
            ReplyMark::of(Outgoing, false, Some(SenderType::User)),
            ReplyMark::HumanReply
        );
        assert_eq!(
            ReplyMark::of(Outgoing, true, Some(SenderType::User)),
            ReplyMark::Neither
        );
        assert_eq!(
            ReplyMark::of(Outgoing, false, Some(SenderType::AgentBot)),
            ReplyMark::Neither
        );
        assert_eq!(ReplyMark::of(Outgoing, false, None), ReplyMark::Neither);
        assert_eq!(
            ReplyMark::of(Template, false, Some(SenderType::User)),
            ReplyMark::Neither
        );
        assert_eq!(ReplyMark::of(Activity, false, None), ReplyMark::Neither);
        assert_eq!(
            ReplyMark::of(Incoming, false, Some(SenderType::Contact)),
            ReplyMark::Incoming
        );
    }
}
