-- Chat session transfer (contract 5.4): the assignee asks another agent to take over; the
-- conversation keeps who asked whom until the target accepts or rejects, or the sender
-- withdraws. `assigned_at` is when an agent first took it up (SuperOffice's WhenStarted).
ALTER TABLE conversations ADD COLUMN transfer_to INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN transfer_from INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;

CREATE TRIGGER conversations_assigned_when_created AFTER INSERT ON conversations
WHEN NEW.assignee_id IS NOT NULL
BEGIN
    UPDATE conversations SET assigned_at = unixepoch() WHERE id = NEW.id;
END;

CREATE TRIGGER conversations_assigned AFTER UPDATE OF assignee_id ON conversations
WHEN NEW.assignee_id IS NOT NULL AND OLD.assignee_id IS NULL
BEGIN
    UPDATE conversations SET assigned_at = unixepoch() WHERE id = NEW.id;
END;

-- A conversation given to someone else by any other way (an assignment, a handover, a removed
-- agent) drops the pending transfer, whose sender no longer holds it.
CREATE TRIGGER conversations_transfer_dropped AFTER UPDATE OF assignee_id ON conversations
WHEN NEW.transfer_to IS NOT NULL AND NEW.assignee_id IS NOT OLD.assignee_id
BEGIN
    UPDATE conversations SET transfer_to = NULL, transfer_from = NULL WHERE id = NEW.id;
END;
