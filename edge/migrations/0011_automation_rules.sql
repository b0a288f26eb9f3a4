-- Automation rules (contract 7.3): conditions and actions as sent (checked), run in id order.
CREATE TABLE automation_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    event_name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    -- Signs the rule's send_webhook_event deliveries.
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX automation_rules_by_account ON automation_rules (account_id, active, id);

-- mute_conversation: resolved, and the visitor's messages do not reopen it until a status
-- is set again.
ALTER TABLE conversations ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
