-- The Client API: who owns a visitor (human agents or an external bot), and rate limits.

-- NULL: the default owner, 'external' when the inbox has an agent bot, else 'nimchat'.
ALTER TABLE contact_inboxes ADD COLUMN handover_owner TEXT CHECK (handover_owner IN ('nimchat', 'external'));
ALTER TABLE contact_inboxes ADD COLUMN handover_updated_at INTEGER;
ALTER TABLE contact_inboxes ADD COLUMN handover_updated_by_type TEXT CHECK (handover_updated_by_type IN ('user', 'agent_bot'));
ALTER TABLE contact_inboxes ADD COLUMN handover_updated_by_id INTEGER;

-- Fixed-window counters, incremented atomically with an upsert. D1 rather than KV, whose
-- eventual consistency and one-write-a-second-per-key limit cannot count bursts exactly.
CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_counters_by_window ON rate_counters (window_start);

CREATE INDEX messages_by_conversation_type ON messages (conversation_id, content_type);
