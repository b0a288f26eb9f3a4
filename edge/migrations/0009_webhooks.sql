-- Webhooks and event delivery (contract 7.1, docs/architecture.md "Events to other servers").

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT,
    url TEXT NOT NULL,
    -- JSON array of event names.
    subscriptions TEXT NOT NULL,
    -- NULL: every inbox of the account (and its contact events).
    inbox_id INTEGER REFERENCES inboxes (id) ON DELETE CASCADE,
    -- Standard Webhooks `whsec_...`; never changes.
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, url)
);

-- An API inbox's `webhook_url` is signed with its own secret, made when the URL is first set.
ALTER TABLE inboxes ADD COLUMN webhook_secret TEXT;

-- An event on its way to one endpoint: the body fixed when it happened, the queue carries
-- the row's id. Deleted after the last attempt. `target_kind` and `target_id` name whose
-- endpoint (and secret) it is; deleting that drops the event.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('webhook', 'inbox', 'agent_bot', 'automation_rule')),
    target_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    -- The `webhook-id` header, the same on every attempt.
    message_id TEXT NOT NULL,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX webhook_deliveries_by_target ON webhook_deliveries (target_kind, target_id);

-- Finished attempts, the last 100 of each endpoint kept (`GET webhooks/{id}/deliveries`).
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    event TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('success', 'failed')),
    response_code INTEGER,
    error TEXT CHECK (error IN ('http', 'timeout', 'connection', 'blocked')),
    attempted_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    next_attempt_at INTEGER
);
CREATE INDEX webhook_attempts_by_target ON webhook_attempts (target_kind, target_id, id);
