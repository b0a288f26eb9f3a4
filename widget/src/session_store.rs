//! The visitor's session per inbox in `localStorage`, written only once they have interacted.

use nimchat_shared::wire::ContactSession;

use crate::json::{self, object, Fields, FromJs};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub source_id: String,
    pub pubsub_token: String,
}

impl From<&ContactSession> for StoredSession {
    fn from(session: &ContactSession) -> Self {
        StoredSession {
            source_id: session.source_id.clone(),
            pubsub_token: session.pubsub_token.clone(),
        }
    }
}

impl FromJs for StoredSession {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(StoredSession {
            source_id: fields.string("source_id")?,
            pubsub_token: fields.string("pubsub_token")?,
        })
    }
}

fn key(inbox: &str) -> String {
    format!("nimchat:{inbox}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(inbox: &str) -> Option<StoredSession> {
    json::parse(&storage()?.get_item(&key(inbox)).ok().flatten()?)
}

pub fn save(inbox: &str, session: &StoredSession) {
    if let Some(storage) = storage() {
        let stored = object(&[
            ("source_id", session.source_id.as_str().into()),
            ("pubsub_token", session.pubsub_token.as_str().into()),
        ]);
        let _ = storage.set_item(&key(inbox), &json::stringify(&stored));
    }
}

pub fn forget(inbox: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(inbox));
    }
}
