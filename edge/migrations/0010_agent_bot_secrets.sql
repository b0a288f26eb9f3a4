-- An agent bot's events are signed like webhooks' (contract 7.2): `whsec_...`, made with the
-- bot. Bots made before this migration get one on their next update.
ALTER TABLE agent_bots ADD COLUMN secret TEXT;
