-- Accounts over several databases (docs/architecture.md, "Storage beyond one D1 database").
-- Every database has the whole schema; the directory uses its global part, shards the rest.

-- Which shard (a binding name) holds the account; kept in the directory, copied to shards.
-- While `moving` (to another shard), the account's writes are refused with 503.
ALTER TABLE accounts ADD COLUMN shard TEXT NOT NULL DEFAULT 'SHARD_0';
ALTER TABLE accounts ADD COLUMN moving INTEGER NOT NULL DEFAULT 0;

-- Directory only: the keys public routes start from, to the account they belong to.
-- kind: 'inbox' (inbox identifier), 'session' (a visitor's pubsub token), 'conversation'
-- (a conversation's uuid).
CREATE TABLE directory_keys (
    kind TEXT NOT NULL CHECK (kind IN ('inbox', 'session', 'conversation')),
    key TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key)
);
