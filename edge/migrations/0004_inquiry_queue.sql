-- The inquiry queue (contract 5.3): an open, unassigned conversation waits for an agent, and
-- the queue is ordered by when each one started waiting (Unix milliseconds: visitors often
-- start within the same second). Triggers keep it, so that every way of opening,
-- reopening, assigning or unassigning a conversation does.
ALTER TABLE conversations ADD COLUMN waiting_since INTEGER;

CREATE TRIGGER conversations_wait_when_created AFTER INSERT ON conversations
WHEN NEW.status = 'open' AND NEW.assignee_id IS NULL
BEGIN
    UPDATE conversations SET waiting_since = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    WHERE id = NEW.id;
END;

CREATE TRIGGER conversations_wait_again AFTER UPDATE OF status, assignee_id ON conversations
WHEN NEW.status = 'open' AND NEW.assignee_id IS NULL
    AND NOT (OLD.status = 'open' AND OLD.assignee_id IS NULL)
BEGIN
    UPDATE conversations SET waiting_since = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    WHERE id = NEW.id;
END;
