//! Teams and their members.

use nimchat_shared::wire::{Agent, Team};
use serde::Deserialize;

use super::account_users::AVAILABLE_NOW;
use super::{flag, params, taken, Store};
use crate::domain::assignment::Candidate;
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct TeamRow {
    id: i64,
    name: String,
    description: Option<String>,
    #[serde(deserialize_with = "flag")]
    allow_auto_assign: bool,
    account_id: i64,
    #[serde(deserialize_with = "flag")]
    is_member: bool,
}

impl From<TeamRow> for Team {
    fn from(row: TeamRow) -> Self {
        Team {
            id: row.id,
            name: row.name,
            description: row.description,
            allow_auto_assign: row.allow_auto_assign,
            account_id: row.account_id,
            is_member: row.is_member,
        }
    }
}

/// A team's fields to set; `None` keeps each.
#[derive(Debug, Default)]
pub struct TeamChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub allow_auto_assign: Option<bool>,
}

/// ?1 is the user asking, for `is_member`.
const TEAM_SELECT: &str = "SELECT t.id, t.name, t.description, t.allow_auto_assign, t.account_id,
    EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = ?1) AS is_member
    FROM teams t";

impl Store {
    pub async fn teams(&self, account_id: i64, viewer: i64) -> ApiResult<Vec<Team>> {
        let rows: Vec<TeamRow> = self
            .all(
                &format!("{TEAM_SELECT} WHERE t.account_id = ?2 ORDER BY t.name"),
                params![viewer, account_id],
            )
            .await?;
        Ok(rows.into_iter().map(Team::from).collect())
    }

    pub async fn team(&self, account_id: i64, team_id: i64, viewer: i64) -> ApiResult<Option<Team>> {
        let row: Option<TeamRow> = self
            .first(
                &format!("{TEAM_SELECT} WHERE t.account_id = ?2 AND t.id = ?3"),
                params![viewer, account_id, team_id],
            )
            .await?;
        Ok(row.map(Team::from))
    }

    pub async fn create_team(&self, account_id: i64, new: &TeamChanges, viewer: i64) -> ApiResult<Team> {
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let id: Option<Id> = self
            .first(
                "INSERT INTO teams (account_id, name, description, allow_auto_assign)
                 VALUES (?1, ?2, ?3, COALESCE(?4, 1)) RETURNING id",
                params![account_id, &new.name, &new.description, new.allow_auto_assign],
            )
            .await
            .map_err(taken("teams", "name"))?;
        let id = id
            .ok_or_else(|| ApiError::Internal("team insert returned no id".into()))?
            .id;
        self.team(account_id, id, viewer).await?.ok_or(ApiError::NotFound)
    }

    pub async fn update_team(&self, account_id: i64, team_id: i64, changes: &TeamChanges) -> ApiResult<bool> {
        let changed = self
            .run(
                "UPDATE teams SET name = COALESCE(?3, name), description = COALESCE(?4, description),
                    allow_auto_assign = COALESCE(?5, allow_auto_assign)
                 WHERE account_id = ?1 AND id = ?2",
                params![
                    account_id,
                    team_id,
                    &changes.name,
                    &changes.description,
                    changes.allow_auto_assign
                ],
            )
            .await
            .map_err(taken("teams", "name"))?;
        Ok(changed > 0)
    }

    pub async fn delete_team(&self, account_id: i64, team_id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM teams WHERE account_id = ?1 AND id = ?2",
                params![account_id, team_id],
            )
            .await?;
        Ok(changed > 0)
    }

    pub async fn team_members(&self, account_id: i64, team_id: i64) -> ApiResult<Vec<Agent>> {
        let mut agents = self.agents(account_id).await?;
        let members = self.team_member_ids(team_id).await?;
        agents.retain(|agent| members.contains(&agent.person.id));
        Ok(agents)
    }

    async fn team_member_ids(&self, team_id: i64) -> ApiResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct Member {
            user_id: i64,
        }
        let rows: Vec<Member> = self
            .all("SELECT user_id FROM team_members WHERE team_id = ?1", params![team_id])
            .await?;
        Ok(rows.into_iter().map(|row| row.user_id).collect())
    }

    /// Adds the users (or makes them the only members with `replace`), atomically.
    pub async fn put_team_members(&self, team_id: i64, user_ids: &[i64], replace: bool) -> ApiResult<()> {
        let mut statements = Vec::with_capacity(user_ids.len() + 1);
        if replace {
            statements.push(self.statement("DELETE FROM team_members WHERE team_id = ?1", params![team_id])?);
        }
        for user_id in user_ids {
            statements.push(self.statement(
                "INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?1, ?2)",
                params![team_id, *user_id],
            )?);
        }
        self.batch(statements).await?;
        Ok(())
    }

    pub async fn remove_team_members(&self, team_id: i64, user_ids: &[i64]) -> ApiResult<()> {
        let ids = serde_json::to_string(user_ids)?;
        self.run(
            "DELETE FROM team_members WHERE team_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))",
            params![team_id, &ids],
        )
        .await?;
        Ok(())
    }

    /// The available agents who could take a conversation, with their open conversations:
    /// members of the inbox, and of the team when one is given.
    pub async fn assignment_candidates(
        &self,
        account_id: i64,
        inbox_id: i64,
        team_id: Option<i64>,
    ) -> ApiResult<Vec<Candidate>> {
        #[derive(Deserialize)]
        struct Row {
            user_id: i64,
            open_conversations: i64,
        }
        let sql = format!(
            "SELECT au.user_id, (SELECT COUNT(*) FROM conversations cv WHERE cv.account_id = ?1
                    AND cv.assignee_id = au.user_id AND cv.status = 'open') AS open_conversations
             FROM account_users au JOIN inbox_members im ON im.user_id = au.user_id AND im.inbox_id = ?2
             WHERE au.account_id = ?1 AND {AVAILABLE_NOW}
               AND (?3 IS NULL OR au.user_id IN (SELECT user_id FROM team_members WHERE team_id = ?3))"
        );
        let rows: Vec<Row> = self.all(&sql, params![account_id, inbox_id, team_id]).await?;
        Ok(rows
            .into_iter()
            .map(|row| Candidate {
                user_id: row.user_id,
                open_conversations: row.open_conversations,
            })
            .collect())
    }
}
