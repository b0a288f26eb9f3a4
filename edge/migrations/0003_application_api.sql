-- The Application API's working tools: teams, labels, canned responses, custom attributes and
-- saved filters, and what conversations gain from them (team, priority, labels).

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    allow_auto_assign INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, name)
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX team_members_by_user ON team_members (user_id);

ALTER TABLE conversations ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
-- Counting an agent's open conversations (auto-assignment) and listing by activity.
CREATE INDEX conversations_by_assignee ON conversations (account_id, assignee_id, status);
CREATE INDEX conversations_by_activity ON conversations (account_id, status, last_activity_at);

-- Titles are lower case, as Chatwoot keeps them; conversations and contacts carry titles.
CREATE TABLE labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    color TEXT NOT NULL DEFAULT '#1f93ff',
    show_on_sidebar INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, title)
);

CREATE TABLE conversation_labels (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (conversation_id, label)
) WITHOUT ROWID;

CREATE TABLE contact_labels (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (contact_id, label)
) WITHOUT ROWID;

CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    short_code TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, short_code)
);

CREATE TABLE custom_attribute_definitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    attribute_model TEXT NOT NULL CHECK (attribute_model IN ('conversation_attribute', 'contact_attribute')),
    attribute_key TEXT NOT NULL,
    attribute_display_name TEXT NOT NULL,
    attribute_display_type TEXT NOT NULL,
    attribute_description TEXT,
    attribute_values TEXT NOT NULL DEFAULT '[]',
    default_value TEXT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, attribute_model, attribute_key)
);

-- Saved filters belong to one user in one account.
CREATE TABLE custom_filters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    filter_type TEXT NOT NULL CHECK (filter_type IN ('conversation', 'contact', 'report')),
    query TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX custom_filters_by_user ON custom_filters (account_id, user_id, filter_type);
