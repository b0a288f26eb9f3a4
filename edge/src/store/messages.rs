//! Messages of a conversation.

use nimchat_shared::enums::{ConversationStatus, MessageType, SenderType};
use nimchat_shared::wire::{Attachment, Message, MessageIds, Sender};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::conversations::ConversationRecord;
use super::{flag, json_text, params, FileLinks, Store};
use crate::domain::reports::ReplyMark;
use crate::error::{ApiError, ApiResult};

impl MessagePage {
    /// From `?before=` or `?after=` (0 means from the first message); else the latest. A
    /// negative bound answers the name of the parameter at fault.
    pub fn from_query(before: Option<i64>, after: Option<i64>) -> Result<MessagePage, &'static str> {
        match (before, after) {
            (Some(before), _) if before < 0 => Err("before"),
            (Some(before), _) => Ok(MessagePage::Before(before)),
            (None, Some(after)) if after < 0 => Err("after"),
            (None, Some(after)) => Ok(MessagePage::After(after)),
            (None, None) => Ok(MessagePage::Latest),
        }
    }
}

/// Whose eyes a page of messages is for: contacts never see private notes or activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Contact,
    Agent,
}

/// Which slice of a conversation's messages to read (contract §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagePage {
    /// The latest 20.
    Latest,
    /// The 20 before this id.
    Before(i64),
    /// Up to 100 after this id.
    After(i64),
}

pub struct NewMessage<'a> {
    pub message_type: MessageType,
    pub content_type: &'a str,
    pub content: Option<&'a str>,
    pub content_attributes: &'a Map<String, Value>,
    pub private: bool,
    pub sender: Option<(SenderType, i64)>,
    /// Files already in R2, recorded with the message.
    pub attachments: &'a [NewAttachment],
}

/// A file put in R2 for a message about to be written.
#[derive(Debug, Serialize)]
pub struct NewAttachment {
    pub object_key: String,
    pub file_type: &'static str,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub file_name: String,
    pub file_size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// An attachment as the message query reads it.
#[derive(Deserialize)]
struct AttachmentRow {
    id: i64,
    file_type: String,
    extension: String,
    file_name: String,
    file_size: i64,
    width: Option<i64>,
    height: Option<i64>,
    object_key: String,
}

#[derive(Deserialize)]
struct MessageRow {
    id: i64,
    content: Option<String>,
    message_type: u8,
    content_type: String,
    #[serde(deserialize_with = "json_text")]
    content_attributes: Map<String, Value>,
    created_at: i64,
    status: String,
    #[serde(deserialize_with = "flag")]
    private: bool,
    conversation_display_id: i64,
    sender_type: Option<String>,
    sender_id: Option<i64>,
    sender_name: Option<String>,
    sender_display_name: Option<String>,
    sender_avatar_url: Option<String>,
    inbox_id: i64,
    account_id: i64,
    updated_at: i64,
    #[serde(deserialize_with = "json_text")]
    attachments: Vec<AttachmentRow>,
}

impl MessageRow {
    fn into_message(self, links: &FileLinks) -> ApiResult<Message> {
        let message_type = MessageType::try_from(self.message_type).map_err(ApiError::Internal)?;
        let sender_kind = self.sender_type.as_deref().and_then(SenderType::parse);
        let ids = MessageIds {
            sender_type: sender_kind.map(|kind| kind.class_name().to_string()),
            sender_id: self.sender_id,
            inbox_id: self.inbox_id,
            account_id: self.account_id,
            source_id: None,
            updated_at: self.updated_at,
        };
        let sender = match (sender_kind, self.sender_id) {
            (Some(kind), Some(id)) => {
                let name = self.sender_name.unwrap_or_default();
                Some(Sender {
                    id,
                    available_name: (kind == SenderType::User).then(|| {
                        self.sender_display_name
                            .filter(|shown| !shown.is_empty())
                            .unwrap_or(name.clone())
                    }),
                    name,
                    avatar_url: self.sender_avatar_url.unwrap_or_default(),
                    kind,
                })
            }
            _ => None,
        };
        let attachments = self
            .attachments
            .into_iter()
            .map(|row| {
                let data_url = links.link(&row.object_key)?;
                Ok(Attachment {
                    id: row.id,
                    message_id: self.id,
                    thumb_url: if row.file_type == "image" {
                        data_url.clone()
                    } else {
                        String::new()
                    },
                    data_url,
                    file_type: row.file_type,
                    account_id: self.account_id,
                    extension: row.extension,
                    file_size: row.file_size,
                    file_name: row.file_name,
                    width: row.width,
                    height: row.height,
                })
            })
            .collect::<ApiResult<Vec<Attachment>>>()?;
        Ok(Message {
            id: self.id,
            content: self.content,
            message_type,
            content_type: self.content_type,
            content_attributes: self.content_attributes,
            created_at: self.created_at,
            conversation_id: self.conversation_display_id,
            status: self.status,
            private: self.private,
            sender,
            echo_id: None,
            attachments,
            ids,
        })
    }
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.content, m.message_type, m.content_type, m.content_attributes,
    m.created_at, m.status, m.private, cv.display_id AS conversation_display_id, m.sender_type, m.sender_id,
    m.inbox_id, m.account_id, m.updated_at,
    COALESCE(c.name, u.name, b.name) AS sender_name, u.display_name AS sender_display_name,
    COALESCE(c.avatar_url, u.avatar_url) AS sender_avatar_url,
    (SELECT json_group_array(json_object('id', a.id, 'file_type', a.file_type, 'extension', a.extension,
        'file_name', a.file_name, 'file_size', a.file_size, 'width', a.width, 'height', a.height,
        'object_key', a.object_key))
     FROM attachments a WHERE a.message_id = m.id) AS attachments
    FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
    LEFT JOIN contacts c ON m.sender_type = 'contact' AND c.id = m.sender_id
    LEFT JOIN users u ON m.sender_type = 'user' AND u.id = m.sender_id
    LEFT JOIN agent_bots b ON m.sender_type = 'agent_bot' AND b.id = m.sender_id";

/// What a deleted message reads.
const DELETED_CONTENT: &str = "This message was deleted";

/// What a visitor may see: no private notes, no activity messages.
const VISIBLE_TO_CONTACT: &str = "m.private = 0 AND m.message_type <> 2";

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

impl Store {
    fn messages_of(&self, rows: Vec<MessageRow>) -> ApiResult<Vec<Message>> {
        rows.into_iter().map(|row| row.into_message(&self.files)).collect()
    }

    async fn first_message(&self, sql: &str, params: &[super::Param<'_>]) -> ApiResult<Option<Message>> {
        self.first::<MessageRow>(sql, params)
            .await?
            .map(|row| row.into_message(&self.files))
            .transpose()
    }

    /// Adds a message and touches the conversation (optionally changing its status), atomically.
    pub async fn create_message(
        &self,
        conversation: &ConversationRecord,
        new: &NewMessage<'_>,
        new_status: Option<ConversationStatus>,
    ) -> ApiResult<Message> {
        let attributes = serde_json::to_string(new.content_attributes)?;
        let (sender_type, sender_id) = match new.sender {
            Some((kind, id)) => (Some(kind.as_str()), Some(id)),
            None => (None, None),
        };
        let insert = self.statement(
            "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content_type, content,
                content_attributes, private, sender_type, sender_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                conversation.account_id,
                conversation.inbox_id,
                conversation.id,
                i64::from(u8::from(new.message_type)),
                new.content_type,
                new.content,
                &attributes,
                new.private,
                sender_type,
                sender_id
            ],
        )?;
        let files = self.statement(
            "INSERT INTO attachments (account_id, message_id, file_type, content_type, extension, file_name,
                file_size, width, height, object_key)
             SELECT ?1, (SELECT MAX(id) FROM messages WHERE conversation_id = ?2),
                json_extract(value, '$.file_type'), json_extract(value, '$.content_type'),
                json_extract(value, '$.extension'), json_extract(value, '$.file_name'),
                json_extract(value, '$.file_size'), json_extract(value, '$.width'), json_extract(value, '$.height'),
                json_extract(value, '$.object_key')
             FROM json_each(?3)",
            params![
                conversation.account_id,
                conversation.id,
                &serde_json::to_string(new.attachments)?
            ],
        )?;
        let mark = ReplyMark::of(new.message_type, new.private, new.sender.map(|(kind, _)| kind));
        // A visitor's message starts a wait for a reply (unless one is under way); a user's
        // reply ends it.
        let touch = self.statement(
            "UPDATE conversations SET status = COALESCE(?2, status), last_activity_at = unixepoch(),
                updated_at = unixepoch(),
                unanswered_since = CASE ?3 WHEN 'incoming' THEN COALESCE(unanswered_since, unixepoch())
                    WHEN 'human_reply' THEN NULL ELSE unanswered_since END
             WHERE id = ?1",
            params![
                conversation.id,
                new_status.map(ConversationStatus::as_str),
                mark.as_str()
            ],
        )?;
        // Read back in the same round trip: a batch is one transaction, so the conversation's
        // newest message is this one.
        let created = self.statement(
            &format!("{MESSAGE_SELECT} WHERE m.id = (SELECT MAX(id) FROM messages WHERE conversation_id = ?1)"),
            params![conversation.id],
        )?;
        let mut statements = match (mark, new.sender) {
            (ReplyMark::HumanReply, Some((_, user_id))) => vec![self.human_reply_event(conversation.id, user_id)?],
            _ => Vec::new(),
        };
        statements.extend([insert, files, touch, created]);
        let results = self.batch(statements).await?;
        results
            .last()
            .map(|result| result.results::<MessageRow>())
            .transpose()?
            .and_then(|rows| rows.into_iter().next())
            .ok_or_else(|| ApiError::Internal("message insert returned no row".into()))?
            .into_message(&self.files)
    }

    pub async fn message_in(&self, conversation_id: i64, message_id: i64) -> ApiResult<Option<Message>> {
        let sql = format!("{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND m.id = ?2");
        self.first_message(&sql, params![conversation_id, message_id]).await
    }

    /// A page of what the visitor may see, oldest first.
    pub async fn messages_page(
        &self,
        conversation_id: i64,
        page: MessagePage,
        viewer: Viewer,
    ) -> ApiResult<Vec<Message>> {
        let (condition, order, limit, bound) = match page {
            // D1 wants every bound parameter used, so "latest" is "after id 0".
            MessagePage::Latest => ("m.id > ?2", "DESC", 20, 0),
            MessagePage::Before(id) => ("m.id < ?2", "DESC", 20, id),
            MessagePage::After(id) => ("m.id > ?2", "ASC", 100, id),
        };
        let visible = match viewer {
            Viewer::Contact => VISIBLE_TO_CONTACT,
            Viewer::Agent => "1 = 1",
        };
        let sql = format!(
            "SELECT * FROM ({MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND {visible} AND {condition}
               ORDER BY m.id {order} LIMIT {limit}) ORDER BY id ASC"
        );
        self.messages_of(self.all(&sql, params![conversation_id, bound]).await?)
    }

    /// The newest message other than activity of each conversation, for lists.
    pub async fn last_messages(&self, conversation_ids: &[i64]) -> ApiResult<Vec<Message>> {
        let ids = serde_json::to_string(conversation_ids)?;
        let sql = format!(
            "{MESSAGE_SELECT} WHERE m.id IN (SELECT MAX(id) FROM messages
               WHERE conversation_id IN (SELECT value FROM json_each(?1)) AND message_type <> 2
               GROUP BY conversation_id)"
        );
        self.messages_of(self.all(&sql, params![&ids]).await?)
    }

    /// The newest message that is neither private nor activity, as webhook payloads carry it.
    pub async fn latest_public_message(&self, conversation_id: i64) -> ApiResult<Option<Message>> {
        let sql = format!(
            "{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND m.message_type <> 2 AND m.private = 0
               ORDER BY m.id DESC LIMIT 1"
        );
        self.first_message(&sql, params![conversation_id]).await
    }

    /// Every message after `after_id`, private ones included (for agents' events).
    pub async fn messages_after(&self, conversation_id: i64, after_id: i64) -> ApiResult<Vec<Message>> {
        let sql = format!("{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND m.id > ?2 ORDER BY m.id");
        self.messages_of(self.all(&sql, params![conversation_id, after_id]).await?)
    }

    /// The newest message id of a conversation (0 when it has none).
    pub async fn last_message_id(&self, conversation_id: i64) -> ApiResult<i64> {
        let row: Option<IdRow> = self
            .first(
                "SELECT COALESCE(MAX(id), 0) AS id FROM messages WHERE conversation_id = ?1",
                params![conversation_id],
            )
            .await?;
        Ok(row.map(|row| row.id).unwrap_or(0))
    }

    /// The conversation's CSAT survey message, if one was sent.
    pub async fn survey_message(&self, conversation_id: i64) -> ApiResult<Option<Message>> {
        let sql = format!("{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND m.content_type = 'input_csat' LIMIT 1");
        self.first_message(&sql, params![conversation_id]).await
    }

    pub async fn set_content_attributes(
        &self,
        conversation_id: i64,
        message_id: i64,
        attributes: &Map<String, Value>,
    ) -> ApiResult<Message> {
        let text = serde_json::to_string(attributes)?;
        self.run(
            "UPDATE messages SET content_attributes = ?3, updated_at = unixepoch()
             WHERE conversation_id = ?1 AND id = ?2",
            params![conversation_id, message_id, &text],
        )
        .await?;
        self.message_in(conversation_id, message_id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Replaces a message's content with a notice and marks it deleted, as Chatwoot does:
    /// the message keeps its place, so the conversation reads the same for everyone. Its
    /// attachments' rows go (their objects are the caller's to delete).
    pub async fn delete_message_content(&self, conversation_id: i64, message_id: i64) -> ApiResult<Message> {
        let notice = self.statement(
            "UPDATE messages SET content = ?3, content_type = 'text',
                content_attributes = json_object('deleted', json('true')), updated_at = unixepoch()
             WHERE conversation_id = ?1 AND id = ?2",
            params![conversation_id, message_id, DELETED_CONTENT],
        )?;
        let files = self.statement(
            "DELETE FROM attachments WHERE message_id = ?1
               AND EXISTS (SELECT 1 FROM messages WHERE id = ?1 AND conversation_id = ?2)",
            params![message_id, conversation_id],
        )?;
        self.batch(vec![notice, files]).await?;
        self.message_in(conversation_id, message_id)
            .await?
            .ok_or(ApiError::NotFound)
    }
}
