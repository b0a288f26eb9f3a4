//! The visitor's session per inbox in `localStorage`, written only once they have interacted.

use nimchat_shared::wire::ContactSession;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

fn key(inbox: &str) -> String {
    format!("nimchat:{inbox}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(inbox: &str) -> Option<StoredSession> {
    let text = storage()?.get_item(&key(inbox)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn save(inbox: &str, session: &StoredSession) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(session)) {
        let _ = storage.set_item(&key(inbox), &text);
    }
}

pub fn forget(inbox: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(inbox));
    }
}
