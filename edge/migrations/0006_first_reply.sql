-- When a person first answered a conversation (Chatwoot's `first_reply_created_at`, and the
-- first response time reports need): kept by a trigger on every message insert, so every
-- write path records it; earlier conversations are filled from their messages.
ALTER TABLE conversations ADD COLUMN first_reply_created_at INTEGER;

UPDATE conversations SET first_reply_created_at = (
    SELECT MIN(m.created_at) FROM messages m
    WHERE m.conversation_id = conversations.id AND m.message_type = 1 AND m.private = 0 AND m.sender_type = 'user'
);

CREATE TRIGGER conversations_first_reply AFTER INSERT ON messages
WHEN NEW.message_type = 1 AND NEW.private = 0 AND NEW.sender_type = 'user'
BEGIN
    UPDATE conversations SET first_reply_created_at = NEW.created_at
    WHERE id = NEW.conversation_id AND first_reply_created_at IS NULL;
END;
