-- An open console says so on /cable every 20 s (`update_presence`); an agent with
-- auto_offline counts as offline a minute after the last one (Chatwoot's online status). Kept
-- on the account's shard only: it is no global row, so copies from the directory never touch it.
CREATE TABLE agent_presence (
    account_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_id)
) WITHOUT ROWID;
