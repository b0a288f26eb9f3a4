//! Reports (contract 7.4): counts and sums over one index range per bucket, the events the
//! time metrics read (written beside the message or status change that makes them), and the
//! open conversations now.

use nimchat_shared::enums::Availability;
use nimchat_shared::wire::{
    AgentConversationMetrics, AgentOpenConversations, ConversationMetrics, Person, ReportingEvent,
};
use serde::Deserialize;
use worker::d1::D1PreparedStatement;

use super::account_users::AVAILABILITY;
use super::users::{PersonRow, PERSON_COLUMNS};
use super::{page_offset, params, Count, Param, Store};
use crate::domain::reports::{EventName, Metric, Scope, Source, Tally, Window};
use crate::domain::timestamps;
use crate::error::{ApiError, ApiResult};

/// An open conversation nobody has answered yet, or with a visitor message after the last
/// human reply (`cv`).
const UNATTENDED: &str = "(cv.first_reply_created_at IS NULL OR cv.unanswered_since IS NOT NULL)";

/// Agents a page of `reports/conversations?type=agent` lists.
const AGENTS_PER_PAGE: i64 = 25;

#[derive(Deserialize)]
struct TallyRow {
    position: i64,
    count: i64,
    total: i64,
}

#[derive(Deserialize)]
struct AgentMetricsRow {
    #[serde(flatten)]
    person: PersonRow,
    availability: String,
    open: i64,
    unattended: i64,
}

/// The rows of `source` that `scope` keeps (`x` is the source's table, `?1` the account,
/// `?{at}` the value the scope binds, returned with it).
fn scope_condition(scope: &Scope, source: Source, at: usize) -> Option<(String, Param<'_>)> {
    // A column of the conversation the row is (or belongs to) equals the bound value.
    let conversation_has = |column: &str| match source {
        Source::Conversations => format!("x.{column} = ?{at}"),
        _ => format!("x.conversation_id IN (SELECT id FROM conversations WHERE account_id = ?1 AND {column} = ?{at})"),
    };
    match scope {
        Scope::Account => None,
        Scope::Inbox(id) => Some((format!("x.inbox_id = ?{at}"), (*id).into())),
        Scope::Team(id) => Some((conversation_has("team_id"), (*id).into())),
        Scope::Label(title) => {
            let labelled = format!("(SELECT conversation_id FROM conversation_labels WHERE label = ?{at})");
            let condition = match source {
                Source::Conversations => format!("x.id IN {labelled}"),
                _ => format!("x.conversation_id IN {labelled}"),
            };
            Some((condition, title.as_str().into()))
        }
        // What the agent sent or was attributed; conversations assigned to them now.
        Scope::Agent(id) => Some((
            match source {
                Source::OutgoingMessages => format!("x.sender_type = 'user' AND x.sender_id = ?{at}"),
                Source::Events(_) => format!("x.user_id = ?{at}"),
                _ => conversation_has("assignee_id"),
            },
            (*id).into(),
        )),
    }
}

impl Store {
    /// Counts and sums of the rows of `source` in each span, in order (`[from, to)` pairs).
    fn tally_statement(
        &self,
        account_id: i64,
        scope: &Scope,
        source: Source,
        spans: &[(i64, i64)],
    ) -> ApiResult<D1PreparedStatement> {
        let spans = serde_json::to_string(spans)?;
        let mut bound: Vec<Param> = vec![account_id.into(), spans.as_str().into()];
        let (table, value, mut condition) = match source {
            Source::Conversations => ("conversations", "0", "x.account_id = ?1".to_string()),
            Source::IncomingMessages => ("messages", "0", "x.account_id = ?1 AND x.message_type = 0".into()),
            Source::OutgoingMessages => (
                "messages",
                "0",
                "x.account_id = ?1 AND x.message_type = 1 AND x.private = 0".into(),
            ),
            Source::Events(name) => {
                bound.push(name.as_str().into());
                (
                    "reporting_events",
                    "x.value",
                    "x.account_id = ?1 AND x.name = ?3".into(),
                )
            }
        };
        if let Some((scoped, param)) = scope_condition(scope, source, bound.len() + 1) {
            bound.push(param);
            condition = format!("{condition} AND {scoped}");
        }
        // CROSS JOIN keeps the spans outside: one index range of the table per span.
        let sql = format!(
            "WITH spans AS (SELECT key AS position, json_extract(value, '$[0]') AS span_from,
                json_extract(value, '$[1]') AS span_to FROM json_each(?2))
             SELECT s.position, COUNT(*) AS count, COALESCE(SUM({value}), 0) AS total
             FROM spans s CROSS JOIN {table} x
             WHERE {condition} AND x.created_at >= s.span_from AND x.created_at < s.span_to
             GROUP BY s.position"
        );
        self.statement(&sql, &bound)
    }

    /// `metric` in each span, in order.
    pub async fn report_tallies(
        &self,
        account_id: i64,
        scope: &Scope,
        metric: Metric,
        spans: &[(i64, i64)],
    ) -> ApiResult<Vec<Tally>> {
        let statement = self.tally_statement(account_id, scope, metric.source(), spans)?;
        let rows: Vec<TallyRow> = statement.all().await?.results()?;
        Ok(in_order(rows, spans.len()))
    }

    /// The seven metrics (in [`Metric::ALL`]'s order) over each window, in one round trip:
    /// one query per source (both resolution metrics read the same rows).
    pub async fn report_totals(
        &self,
        account_id: i64,
        scope: &Scope,
        windows: &[Window],
    ) -> ApiResult<Vec<[Tally; 7]>> {
        let spans: Vec<(i64, i64)> = windows.iter().map(|window| (window.from, window.to)).collect();
        let statements = Source::ALL
            .iter()
            .map(|source| self.tally_statement(account_id, scope, *source, &spans))
            .collect::<ApiResult<Vec<_>>>()?;
        let per_source = self
            .batch(statements)
            .await?
            .iter()
            .map(|result| Ok(in_order(result.results::<TallyRow>()?, spans.len())))
            .collect::<ApiResult<Vec<Vec<Tally>>>>()?;
        let of = |source: Source, window: usize| {
            Source::ALL
                .iter()
                .position(|each| *each == source)
                .and_then(|at| per_source.get(at))
                .map_or_else(Tally::default, |tallies| tallies[window])
        };
        Ok((0..spans.len())
            .map(|window| Metric::ALL.map(|metric| of(metric.source(), window)))
            .collect())
    }

    /// Whether what `scope` names is the account's: a member, an inbox, a team, a label
    /// defined or given to one of its conversations.
    pub async fn report_scope_exists(&self, account_id: i64, scope: &Scope) -> ApiResult<bool> {
        let (sql, param): (&str, Param) = match scope {
            Scope::Account => return Ok(true),
            Scope::Agent(id) => (
                "SELECT 1 AS n FROM account_users WHERE account_id = ?1 AND user_id = ?2",
                (*id).into(),
            ),
            Scope::Inbox(id) => (
                "SELECT 1 AS n FROM inboxes WHERE account_id = ?1 AND id = ?2",
                (*id).into(),
            ),
            Scope::Team(id) => (
                "SELECT 1 AS n FROM teams WHERE account_id = ?1 AND id = ?2",
                (*id).into(),
            ),
            Scope::Label(title) => (
                "SELECT 1 AS n FROM labels WHERE account_id = ?1 AND title = ?2
                 UNION ALL SELECT 1 FROM conversation_labels l JOIN conversations cv ON cv.id = l.conversation_id
                 WHERE l.label = ?2 AND cv.account_id = ?1 LIMIT 1",
                title.as_str().into(),
            ),
        };
        Ok(self.first::<Count>(sql, &[account_id.into(), param]).await?.is_some())
    }

    /// The account's open conversations now.
    pub async fn conversation_metrics(&self, account_id: i64) -> ApiResult<ConversationMetrics> {
        #[derive(Deserialize)]
        struct Row {
            open: i64,
            unattended: Option<i64>,
            unassigned: Option<i64>,
        }
        let row: Row = self
            .first(
                &format!(
                    "SELECT COUNT(*) AS open, SUM({UNATTENDED}) AS unattended, SUM(cv.assignee_id IS NULL) AS unassigned
                     FROM conversations cv WHERE cv.account_id = ?1 AND cv.status = 'open'"
                ),
                params![account_id],
            )
            .await?
            .ok_or_else(|| ApiError::Internal("an aggregate returned no row".into()))?;
        Ok(ConversationMetrics {
            open: row.open,
            unattended: row.unattended.unwrap_or(0),
            unassigned: row.unassigned.unwrap_or(0),
        })
    }

    /// Page `page` of the account's users (or only `user_id`) with their open conversations,
    /// most open first.
    pub async fn agent_conversation_metrics(
        &self,
        account_id: i64,
        user_id: Option<i64>,
        page: i64,
    ) -> ApiResult<Vec<AgentConversationMetrics>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {AVAILABILITY} AS availability, COALESCE(o.open, 0) AS open,
                COALESCE(o.unattended, 0) AS unattended
             FROM account_users au JOIN users u ON u.id = au.user_id
             LEFT JOIN (SELECT cv.assignee_id, COUNT(*) AS open, SUM({UNATTENDED}) AS unattended
                        FROM conversations cv
                        WHERE cv.account_id = ?1 AND cv.status = 'open' AND cv.assignee_id IS NOT NULL
                        GROUP BY cv.assignee_id) o ON o.assignee_id = u.id
             WHERE au.account_id = ?1 AND (?2 IS NULL OR u.id = ?2)
             ORDER BY open DESC, u.id LIMIT {AGENTS_PER_PAGE} OFFSET ?3"
        );
        let rows: Vec<AgentMetricsRow> = self
            .all(&sql, params![account_id, user_id, page_offset(page, AGENTS_PER_PAGE)])
            .await?;
        rows.into_iter()
            .map(|row| {
                let person = Person::from(row.person);
                Ok(AgentConversationMetrics {
                    id: person.id,
                    name: person.name,
                    email: person.email,
                    thumbnail: person.avatar_url,
                    availability: Availability::parse(&row.availability).ok_or_else(|| {
                        ApiError::Internal(format!("stored availability {:?} is unknown", row.availability))
                    })?,
                    metric: AgentOpenConversations {
                        open: row.open,
                        unattended: row.unattended,
                    },
                })
            })
            .collect()
    }

    /// Records a user's public reply before it is inserted: the conversation's first response
    /// (from its creation, or its last handover to people when later), or a reply time (from
    /// the oldest unanswered visitor message), or nothing when nobody was waiting.
    pub(super) fn human_reply_event(&self, conversation_id: i64, user_id: i64) -> ApiResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO reporting_events (account_id, inbox_id, conversation_id, user_id, name, value)
             SELECT cv.account_id, cv.inbox_id, cv.id, ?2,
                 CASE WHEN cv.first_reply_created_at IS NULL THEN 'first_response' ELSE 'reply' END,
                 unixepoch() - CASE WHEN cv.first_reply_created_at IS NULL
                     THEN MAX(cv.created_at, COALESCE(CASE ci.handover_owner WHEN 'nimchat' THEN ci.handover_updated_at END, 0))
                     ELSE cv.unanswered_since END
             FROM conversations cv JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id
             WHERE cv.id = ?1 AND (cv.first_reply_created_at IS NULL OR cv.unanswered_since IS NOT NULL)",
            params![conversation_id, user_id],
        )
    }

    /// Records a resolution, attributed to the assignee of the moment, before the status
    /// change it comes with (nothing when the conversation is resolved already).
    pub(super) fn resolution_event(&self, conversation_id: i64) -> ApiResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO reporting_events (account_id, inbox_id, conversation_id, user_id, name, value)
             SELECT account_id, inbox_id, id, assignee_id, 'resolution', unixepoch() - created_at
             FROM conversations WHERE id = ?1 AND status <> 'resolved'",
            params![conversation_id],
        )
    }
}

/// One tally per span, zero where no row was counted.
fn in_order(rows: Vec<TallyRow>, spans: usize) -> Vec<Tally> {
    let mut tallies = vec![Tally::default(); spans];
    for row in rows {
        if let Some(tally) = usize::try_from(row.position).ok().and_then(|at| tallies.get_mut(at)) {
            *tally = Tally {
                count: row.count,
                total: row.total,
            };
        }
    }
    tallies
}

/// Chatwoot's page of reporting events.
pub const REPORTING_EVENTS_PER_PAGE: i64 = 25;

/// What `GET /reporting_events` narrows to; `None` keeps every value. Times are Unix seconds,
/// both ends included.
pub struct EventFilter {
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub inbox_id: Option<i64>,
    pub user_id: Option<i64>,
    pub name: Option<EventName>,
}

#[derive(Deserialize)]
struct ReportingEventRow {
    id: i64,
    name: String,
    value: i64,
    account_id: i64,
    conversation_display_id: i64,
    inbox_id: i64,
    user_id: Option<i64>,
    created_at: i64,
}

impl ReportingEventRow {
    /// Chatwoot's object: the event ends when it was recorded and starts `value` seconds earlier.
    fn into_wire(self) -> ApiResult<ReportingEvent> {
        let name = EventName::parse(&self.name)
            .ok_or_else(|| ApiError::Internal(format!("stored event name {:?} is unknown", self.name)))?;
        let iso = |seconds: i64| timestamps::iso_utc_millis(seconds.saturating_mul(1000));
        Ok(ReportingEvent {
            id: self.id,
            name: name.chatwoot_name().to_string(),
            value: self.value as f64,
            value_in_business_hours: None,
            event_start_time: iso(self.created_at - self.value),
            event_end_time: iso(self.created_at),
            account_id: self.account_id,
            conversation_id: Some(self.conversation_display_id),
            inbox_id: Some(self.inbox_id),
            user_id: self.user_id,
            created_at: iso(self.created_at),
            updated_at: iso(self.created_at),
        })
    }
}

const REPORTING_EVENT_SELECT: &str = "SELECT e.id, e.name, e.value, e.account_id,
    cv.display_id AS conversation_display_id, e.inbox_id, e.user_id, e.created_at
    FROM reporting_events e JOIN conversations cv ON cv.id = e.conversation_id";

impl Store {
    /// A page (from 1) of the account's events, newest first, and how many match.
    pub async fn reporting_events(
        &self,
        account_id: i64,
        filter: &EventFilter,
        page: i64,
    ) -> ApiResult<(Vec<ReportingEvent>, i64)> {
        let condition =
            "e.account_id = ?1 AND (?2 IS NULL OR e.created_at >= ?2) AND (?3 IS NULL OR e.created_at <= ?3)
            AND (?4 IS NULL OR e.inbox_id = ?4) AND (?5 IS NULL OR e.user_id = ?5) AND (?6 IS NULL OR e.name = ?6)";
        let name = filter.name.map(EventName::as_str);
        let bound = params![
            account_id,
            filter.since,
            filter.until,
            filter.inbox_id,
            filter.user_id,
            name
        ];
        let offset = page_offset(page, REPORTING_EVENTS_PER_PAGE);
        let listed = self.statement(
            &format!(
                "{REPORTING_EVENT_SELECT} WHERE {condition}
                 ORDER BY e.created_at DESC, e.id DESC LIMIT {REPORTING_EVENTS_PER_PAGE} OFFSET {offset}"
            ),
            bound,
        )?;
        let counted = self.statement(
            &format!("SELECT COUNT(*) AS n FROM reporting_events e WHERE {condition}"),
            bound,
        )?;
        let results = self.batch(vec![listed, counted]).await?;
        let (Some(listed), Some(counted)) = (results.first(), results.get(1)) else {
            return Err(ApiError::Internal("a batch of two answered less".into()));
        };
        let events = listed
            .results::<ReportingEventRow>()?
            .into_iter()
            .map(ReportingEventRow::into_wire)
            .collect::<ApiResult<Vec<_>>>()?;
        let count = counted.results::<Count>()?.first().map_or(0, |count| count.n);
        Ok((events, count))
    }

    /// A conversation's events, oldest first.
    pub async fn conversation_reporting_events(&self, conversation_id: i64) -> ApiResult<Vec<ReportingEvent>> {
        let rows: Vec<ReportingEventRow> = self
            .all(
                &format!("{REPORTING_EVENT_SELECT} WHERE e.conversation_id = ?1 ORDER BY e.created_at, e.id"),
                params![conversation_id],
            )
            .await?;
        rows.into_iter().map(ReportingEventRow::into_wire).collect()
    }
}
