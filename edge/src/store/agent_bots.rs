//! Agent bots: platform bots (no account, usable by every account) and account bots.

use nimchat_shared::wire::AgentBot;
use serde::Deserialize;

use super::{params, Store};
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Default)]
pub struct AgentBotChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub outgoing_url: Option<String>,
}

#[derive(Deserialize)]
struct AgentBotRow {
    id: i64,
    name: String,
    description: Option<String>,
    account_id: Option<i64>,
    outgoing_url: Option<String>,
    access_token: Option<String>,
}

impl From<AgentBotRow> for AgentBot {
    fn from(row: AgentBotRow) -> Self {
        AgentBot {
            id: row.id,
            name: row.name,
            description: row.description,
            account_id: row.account_id,
            outgoing_url: row.outgoing_url,
            access_token: row.access_token,
        }
    }
}

const SELECT_BOT: &str = "SELECT b.id, b.name, b.description, b.account_id, b.outgoing_url, t.token AS access_token
    FROM agent_bots b LEFT JOIN access_tokens t ON t.agent_bot_id = b.id";

impl Store {
    pub async fn create_agent_bot(&self, account_id: Option<i64>, new: &AgentBotChanges) -> ApiResult<AgentBot> {
        let token = secrets::token()?;
        let insert_bot = self.statement(
            "INSERT INTO agent_bots (account_id, name, description, outgoing_url) VALUES (?1, ?2, ?3, ?4)",
            params![account_id, &new.name, &new.description, &new.outgoing_url],
        )?;
        // A batch runs on one connection in one transaction, so the rowid is the bot's.
        let insert_token = self.statement(
            "INSERT INTO access_tokens (token, agent_bot_id) VALUES (?1, last_insert_rowid())",
            params![&token],
        )?;
        self.batch(vec![insert_bot, insert_token]).await?;
        let sql = format!("{SELECT_BOT} WHERE t.token = ?1");
        self.first::<AgentBotRow>(&sql, params![&token])
            .await?
            .map(AgentBot::from)
            .ok_or_else(|| ApiError::Internal("agent bot insert left no row".into()))
    }

    /// A platform bot (one that belongs to no account).
    pub async fn platform_agent_bot(&self, id: i64) -> ApiResult<Option<AgentBot>> {
        let sql = format!("{SELECT_BOT} WHERE b.id = ?1 AND b.account_id IS NULL");
        Ok(self.first::<AgentBotRow>(&sql, params![id]).await?.map(AgentBot::from))
    }

    pub async fn platform_agent_bots(&self) -> ApiResult<Vec<AgentBot>> {
        let sql = format!("{SELECT_BOT} WHERE b.account_id IS NULL ORDER BY b.id");
        Ok(self
            .all::<AgentBotRow>(&sql, params![])
            .await?
            .into_iter()
            .map(AgentBot::from)
            .collect())
    }

    /// A bot the account may connect: one of its own or a platform bot.
    pub async fn agent_bot_for_account(&self, id: i64, account_id: i64) -> ApiResult<Option<AgentBot>> {
        let sql = format!("{SELECT_BOT} WHERE b.id = ?1 AND (b.account_id IS NULL OR b.account_id = ?2)");
        Ok(self
            .first::<AgentBotRow>(&sql, params![id, account_id])
            .await?
            .map(AgentBot::from))
    }

    pub async fn update_platform_agent_bot(&self, id: i64, changes: &AgentBotChanges) -> ApiResult<Option<AgentBot>> {
        self.run(
            "UPDATE agent_bots SET name = COALESCE(?2, name), description = COALESCE(?3, description),
                outgoing_url = COALESCE(?4, outgoing_url), updated_at = unixepoch()
             WHERE id = ?1 AND account_id IS NULL",
            params![id, &changes.name, &changes.description, &changes.outgoing_url],
        )
        .await?;
        self.platform_agent_bot(id).await
    }

    pub async fn delete_platform_agent_bot(&self, id: i64) -> ApiResult<bool> {
        Ok(self
            .run(
                "DELETE FROM agent_bots WHERE id = ?1 AND account_id IS NULL",
                params![id],
            )
            .await?
            > 0)
    }
}
