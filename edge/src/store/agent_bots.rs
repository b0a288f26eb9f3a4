//! Agent bots: platform bots (no account, usable by every account) and account bots.

use nimchat_shared::wire::AgentBot;
use serde::Deserialize;

use super::{params, Store};
use crate::domain::{secrets, standard_webhooks};
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
    secret: Option<String>,
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
            secret: row.secret,
            bot_type: "webhook".into(),
        }
    }
}

const SELECT_BOT: &str = "SELECT b.id, b.name, b.description, b.account_id, b.outgoing_url, t.token AS access_token,
    b.secret FROM agent_bots b LEFT JOIN access_tokens t ON t.agent_bot_id = b.id";

/// Which bots a route may change: the platform's (no account) or one account's.
#[derive(Debug, Clone, Copy)]
pub enum BotOwner {
    Platform,
    Account(i64),
}

impl BotOwner {
    fn account_id(self) -> Option<i64> {
        match self {
            BotOwner::Platform => None,
            BotOwner::Account(id) => Some(id),
        }
    }
}

impl Store {
    pub async fn create_agent_bot(&self, owner: BotOwner, new: &AgentBotChanges) -> ApiResult<AgentBot> {
        let token = secrets::token()?;
        let secret = standard_webhooks::secret(secrets::random_bytes()?);
        let insert_bot = self.statement(
            "INSERT INTO agent_bots (account_id, name, description, outgoing_url, secret) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                owner.account_id(),
                &new.name,
                &new.description,
                &new.outgoing_url,
                &secret
            ],
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

    /// The account's own bots and the platform's, which it may connect too.
    pub async fn account_agent_bots(&self, account_id: i64) -> ApiResult<Vec<AgentBot>> {
        let sql = format!("{SELECT_BOT} WHERE b.account_id IS NULL OR b.account_id = ?1 ORDER BY b.id");
        Ok(self
            .all::<AgentBotRow>(&sql, params![account_id])
            .await?
            .into_iter()
            .map(AgentBot::from)
            .collect())
    }

    /// A bot of `owner` as it now is; `None` when it has no such bot.
    pub async fn owned_agent_bot(&self, owner: BotOwner, id: i64) -> ApiResult<Option<AgentBot>> {
        let sql = format!("{SELECT_BOT} WHERE b.id = ?1 AND b.account_id IS ?2");
        Ok(self
            .first::<AgentBotRow>(&sql, params![id, owner.account_id()])
            .await?
            .map(AgentBot::from))
    }

    /// Changes a bot of `owner` (a bot made before bots had secrets gets one).
    pub async fn update_agent_bot(
        &self,
        owner: BotOwner,
        id: i64,
        changes: &AgentBotChanges,
    ) -> ApiResult<Option<AgentBot>> {
        self.run(
            "UPDATE agent_bots SET name = COALESCE(?3, name), description = COALESCE(?4, description),
                outgoing_url = COALESCE(?5, outgoing_url), secret = COALESCE(secret, ?6), updated_at = unixepoch()
             WHERE id = ?1 AND account_id IS ?2",
            params![
                id,
                owner.account_id(),
                &changes.name,
                &changes.description,
                &changes.outgoing_url,
                &standard_webhooks::secret(secrets::random_bytes()?),
            ],
        )
        .await?;
        self.owned_agent_bot(owner, id).await
    }

    pub async fn delete_agent_bot(&self, owner: BotOwner, id: i64) -> ApiResult<bool> {
        Ok(self
            .run(
                "DELETE FROM agent_bots WHERE id = ?1 AND account_id IS ?2",
                params![id, owner.account_id()],
            )
            .await?
            > 0)
    }
}
