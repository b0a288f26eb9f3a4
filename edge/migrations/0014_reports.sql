-- Reports (contract 7.4) read what was recorded when it happened instead of replaying
-- messages: a first response, a reply time or a resolution is a `reporting_events` row
-- written in the same batch as the message or the status change (store/messages.rs,
-- store/conversations.rs).

-- When the conversation's oldest incoming message without a human reply after it came: the
-- start of the next reply time, and what makes an open conversation unattended.
ALTER TABLE conversations ADD COLUMN unanswered_since INTEGER;

UPDATE conversations SET unanswered_since = (
    SELECT MIN(m.created_at) FROM messages m
    WHERE m.conversation_id = conversations.id AND m.message_type = 0
        AND NOT EXISTS (
            SELECT 1 FROM messages h
            WHERE h.conversation_id = conversations.id AND h.message_type = 1 AND h.private = 0
                AND h.sender_type = 'user' AND h.id > m.id
        )
);

-- value: seconds (from creation or handover to the first response, from the waiting
-- incoming message to a reply, from creation to a resolution). user_id: who replied, or the
-- assignee at the resolution.
CREATE TABLE reporting_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL CHECK (name IN ('first_response', 'reply', 'resolution')),
    value INTEGER NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
-- Each report reads one index range per bucket; `value` in the index spares the row.
CREATE INDEX reporting_events_by_account ON reporting_events (account_id, name, created_at, value);
CREATE INDEX reporting_events_by_inbox ON reporting_events (inbox_id, name, created_at, value);
CREATE INDEX reporting_events_by_user ON reporting_events (user_id, name, created_at, value);
CREATE INDEX reporting_events_by_conversation ON reporting_events (conversation_id);

CREATE INDEX conversations_by_creation ON conversations (account_id, created_at);
-- A label's report starts from the conversations carrying it.
CREATE INDEX conversation_labels_by_label ON conversation_labels (label, conversation_id);
CREATE INDEX messages_by_account_type_time ON messages (account_id, message_type, created_at, private);

-- The first responses of earlier conversations, from their messages (reply times and
-- resolutions before this migration were not kept).
INSERT INTO reporting_events (account_id, inbox_id, conversation_id, user_id, name, value, created_at)
SELECT cv.account_id, cv.inbox_id, cv.id,
    (SELECT m.sender_id FROM messages m
     WHERE m.conversation_id = cv.id AND m.message_type = 1 AND m.private = 0 AND m.sender_type = 'user'
         AND m.sender_id IN (SELECT id FROM users)
     ORDER BY m.id LIMIT 1),
    'first_response', cv.first_reply_created_at - cv.created_at, cv.first_reply_created_at
FROM conversations cv WHERE cv.first_reply_created_at IS NOT NULL;
