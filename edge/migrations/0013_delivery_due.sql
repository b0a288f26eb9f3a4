-- When a delivery's next attempt is due (contract 7.1, at least once): the hourly
-- housekeeping queues again a delivery whose attempt is long overdue (its queue message was
-- lost, or never sent because the queue failed after the row was written).
ALTER TABLE webhook_deliveries ADD COLUMN due_at INTEGER;
CREATE INDEX webhook_deliveries_by_due ON webhook_deliveries (due_at);
