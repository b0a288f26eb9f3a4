-- Files sent with messages (Chatwoot's attachments). The bytes live in R2 under
-- `object_key` ("{account_id}/{random}/{file_name}"); a row goes with its message.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    -- image, audio, video or file; from the file's bytes, never from the client.
    file_type TEXT NOT NULL CHECK (file_type IN ('image', 'audio', 'video', 'file')),
    content_type TEXT NOT NULL,
    extension TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    object_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX attachments_by_message ON attachments (message_id);
