//! Account memberships: who works in which account, with which role and availability.

use nimchat_shared::enums::{Availability, Role};
use nimchat_shared::wire::{AccountUser, Agent, Person};
use serde::Deserialize;

use worker::d1::D1PreparedStatement;

use super::users::{parse_role, NewUser, PersonRow, PERSON_COLUMNS};
use super::{flag, params, Param, Placement, Store};
use crate::error::{ApiError, ApiResult};

/// A member's settings in one account; `None` keeps (or, on creation, defaults) each.
#[derive(Debug, Default, Clone, Copy)]
pub struct AgentSettings {
    pub role: Option<Role>,
    pub availability: Option<Availability>,
    pub auto_offline: Option<bool>,
}

/// The signed-in user's place in the account of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    pub account_id: i64,
    pub user_id: i64,
    pub role: Role,
}

#[derive(Deserialize)]
struct MembershipRow {
    account_id: i64,
    user_id: i64,
    role: String,
}

#[derive(Deserialize)]
pub(super) struct AgentRow {
    #[serde(flatten)]
    person: PersonRow,
    account_id: i64,
    role: String,
    availability: String,
    #[serde(deserialize_with = "flag")]
    auto_offline: bool,
}

impl AgentRow {
    pub(super) fn into_agent(self) -> ApiResult<Agent> {
        Ok(Agent {
            person: Person::from(self.person),
            account_id: self.account_id,
            role: parse_role(&self.role)?,
            availability_status: Availability::parse(&self.availability)
                .ok_or_else(|| ApiError::Internal(format!("stored availability {:?} is unknown", self.availability)))?,
            auto_offline: self.auto_offline,
        })
    }
}

/// The availability an agent works with, from `account_users au`: with `auto_offline`, an
/// agent whose console has not said it is open in the last minute is `offline` (contract §4:
/// derived from presence). The stored setting is what they chose.
macro_rules! availability_sql {
    () => {
        "CASE WHEN au.auto_offline = 1 AND NOT EXISTS (SELECT 1 FROM agent_presence p
           WHERE p.account_id = au.account_id AND p.user_id = au.user_id AND p.seen_at >= unixepoch() - 60)
         THEN 'offline' ELSE au.availability END"
    };
}

/// The availability the agent of `account_users au` works with now (see `availability_sql`).
pub(super) const AVAILABILITY: &str = availability_sql!();

/// Whether the agent of `account_users au` takes conversations now (see `availability_sql`).
pub(super) const AVAILABLE_NOW: &str = concat!("(", availability_sql!(), ") = 'available'");

/// With [`PERSON_COLUMNS`], the columns of [`AgentRow`] from `account_users au`.
pub(super) const MEMBERSHIP_COLUMNS: &str = concat!(
    "au.account_id, au.role, ",
    availability_sql!(),
    " AS availability, au.auto_offline"
);

impl Store {
    pub async fn membership(&self, account_id: i64, user_id: i64) -> ApiResult<Option<Membership>> {
        let row: Option<MembershipRow> = self
            .first(
                "SELECT account_id, user_id, role FROM account_users WHERE account_id = ?1 AND user_id = ?2",
                params![account_id, user_id],
            )
            .await?;
        row.map(|row| {
            Ok(Membership {
                account_id: row.account_id,
                user_id: row.user_id,
                role: parse_role(&row.role)?,
            })
        })
        .transpose()
    }

    /// Adds the user to the account, or changes the role of a member.
    pub async fn put_account_user(&self, account_id: i64, user_id: i64, role: Role) -> ApiResult<AccountUser> {
        self.run(
            "INSERT INTO account_users (account_id, user_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role",
            params![account_id, user_id, role.as_str()],
        )
        .await?;
        Ok(AccountUser {
            account_id,
            user_id,
            role,
        })
    }

    /// Makes the person with this email an agent of the account, creating the user (without
    /// a password) when nobody has the email yet. One transaction either way.
    pub async fn add_agent(&self, account_id: i64, new: &NewUser, settings: &AgentSettings) -> ApiResult<Agent> {
        let user_id = match self.user_id_by_email(&new.email).await? {
            Some(user_id) if self.membership(account_id, user_id).await?.is_some() => {
                return Err(ApiError::invalid("email", "Email is already an agent of this account"));
            }
            Some(user_id) => {
                let join = self.join_statement(account_id, "?2", Param::Int(user_id), settings)?;
                self.batch(vec![join]).await?;
                user_id
            }
            None => {
                let (mut statements, pubsub_token) = self.new_user_statements(new)?;
                let user_sql = "(SELECT id FROM users WHERE pubsub_token = ?2)";
                statements.push(self.join_statement(account_id, user_sql, Param::Text(&pubsub_token), settings)?);
                self.batch(statements).await?;
                self.user_created_with(&pubsub_token).await?.person.id
            }
        };
        self.agent(account_id, user_id).await?.ok_or(ApiError::NotFound)
    }

    /// Inserts a membership; `user_sql` yields the user id from the parameter `?2`.
    fn join_statement(
        &self,
        account_id: i64,
        user_sql: &str,
        user: Param,
        settings: &AgentSettings,
    ) -> ApiResult<D1PreparedStatement> {
        let sql = format!(
            "INSERT INTO account_users (account_id, user_id, role, availability, auto_offline)
             VALUES (?1, {user_sql}, ?3, COALESCE(?4, 'offline'), COALESCE(?5, 1))"
        );
        let role = settings.role.unwrap_or(Role::Agent).as_str();
        let availability = settings.availability.map(Availability::as_str);
        self.statement(
            &sql,
            params![account_id, user, role, availability, settings.auto_offline],
        )
    }

    pub async fn account_users(&self, account_id: i64) -> ApiResult<Vec<AccountUser>> {
        let rows: Vec<MembershipRow> = self
            .all(
                "SELECT account_id, user_id, role FROM account_users WHERE account_id = ?1 ORDER BY user_id",
                params![account_id],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(AccountUser {
                    account_id: row.account_id,
                    user_id: row.user_id,
                    role: parse_role(&row.role)?,
                })
            })
            .collect()
    }

    /// Removes the user from the account, its inboxes and its teams, and hands their
    /// conversations back (unassigned), together.
    pub async fn remove_account_user(&self, account_id: i64, user_id: i64) -> ApiResult<bool> {
        if self.membership(account_id, user_id).await?.is_none() {
            return Ok(false);
        }
        let leave_inboxes = self.statement(
            "DELETE FROM inbox_members WHERE user_id = ?2
             AND inbox_id IN (SELECT id FROM inboxes WHERE account_id = ?1)",
            params![account_id, user_id],
        )?;
        let leave_teams = self.statement(
            "DELETE FROM team_members WHERE user_id = ?2
             AND team_id IN (SELECT id FROM teams WHERE account_id = ?1)",
            params![account_id, user_id],
        )?;
        // Their conversations go back to the team: open ones wait in the queue again.
        let hand_back = self.statement(
            "UPDATE conversations SET assignee_id = NULL, updated_at = unixepoch()
             WHERE account_id = ?1 AND assignee_id = ?2",
            params![account_id, user_id],
        )?;
        let leave_account = self.statement(
            "DELETE FROM account_users WHERE account_id = ?1 AND user_id = ?2",
            params![account_id, user_id],
        )?;
        self.batch(vec![leave_inboxes, leave_teams, hand_back, leave_account])
            .await?;
        Ok(true)
    }

    pub async fn agents(&self, account_id: i64) -> ApiResult<Vec<Agent>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {MEMBERSHIP_COLUMNS} FROM account_users au JOIN users u ON u.id = au.user_id
             WHERE au.account_id = ?1 ORDER BY u.id"
        );
        let rows: Vec<AgentRow> = self.all(&sql, params![account_id]).await?;
        rows.into_iter().map(AgentRow::into_agent).collect()
    }

    pub async fn agent(&self, account_id: i64, user_id: i64) -> ApiResult<Option<Agent>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {MEMBERSHIP_COLUMNS} FROM account_users au JOIN users u ON u.id = au.user_id
             WHERE au.account_id = ?1 AND au.user_id = ?2"
        );
        self.first::<AgentRow>(&sql, params![account_id, user_id])
            .await?
            .map(AgentRow::into_agent)
            .transpose()
    }

    /// An open console of this agent said so (`update_presence`), on the account's shard.
    pub async fn record_presence(&self, account_id: i64, user_id: i64) -> ApiResult<()> {
        self.run(
            "INSERT INTO agent_presence (account_id, user_id, seen_at) VALUES (?1, ?2, unixepoch())
             ON CONFLICT (account_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
            params![account_id, user_id],
        )
        .await?;
        Ok(())
    }

    /// Changes a member's role, availability or auto-offline flag; `None` keeps each.
    pub async fn update_agent(
        &self,
        account_id: i64,
        user_id: i64,
        settings: &AgentSettings,
    ) -> ApiResult<Option<Agent>> {
        self.run(
            "UPDATE account_users SET role = COALESCE(?3, role), availability = COALESCE(?4, availability),
                auto_offline = COALESCE(?5, auto_offline)
             WHERE account_id = ?1 AND user_id = ?2",
            params![
                account_id,
                user_id,
                settings.role.map(Role::as_str),
                settings.availability.map(Availability::as_str),
                settings.auto_offline
            ],
        )
        .await?;
        self.agent(account_id, user_id).await
    }

    /// Who owns an access token: a user or an agent bot.
    pub async fn token_owner(&self, token: &str) -> ApiResult<Option<TokenOwner>> {
        Ok(self.token_owner_in_account(token, None).await?.map(|owner| owner.owner))
    }

    /// Who owns an access token, their role in `account_id` (a user's) and where the account
    /// lives: one directory query, as every request to an account needs all three.
    pub async fn token_owner_in_account(
        &self,
        token: &str,
        account_id: Option<i64>,
    ) -> ApiResult<Option<AccountTokenOwner>> {
        #[derive(Deserialize)]
        struct OwnerRow {
            user_id: Option<i64>,
            agent_bot_id: Option<i64>,
            role: Option<String>,
            shard: Option<String>,
            #[serde(deserialize_with = "flag")]
            moving: bool,
        }
        let row: Option<OwnerRow> = self
            .first(
                "SELECT t.user_id, t.agent_bot_id, au.role, a.shard, COALESCE(a.moving, 0) AS moving
                 FROM access_tokens t
                 LEFT JOIN account_users au ON au.user_id = t.user_id AND au.account_id = ?2
                 LEFT JOIN accounts a ON a.id = ?2
                 WHERE t.token = ?1",
                params![token, account_id],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let role = row.role.as_deref().map(parse_role).transpose()?;
        let placement = row.shard.map(|shard| Placement {
            shard,
            moving: row.moving,
        });
        let owner = match (row.user_id, row.agent_bot_id) {
            (Some(user_id), _) => TokenOwner::User(user_id),
            (None, Some(bot_id)) => TokenOwner::AgentBot(bot_id),
            (None, None) => return Ok(None),
        };
        Ok(Some(AccountTokenOwner {
            owner,
            role: role.filter(|_| matches!(owner, TokenOwner::User(_))),
            placement,
        }))
    }
}

/// An access token's owner as a request to an account needs it.
pub struct AccountTokenOwner {
    pub owner: TokenOwner,
    /// A user's role in the account, if a member.
    pub role: Option<Role>,
    /// Where the account lives; `None` for no such account.
    pub placement: Option<Placement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenOwner {
    User(i64),
    AgentBot(i64),
}
