-- The foundation schema: tenants, people, credentials, inboxes and the conversations in them.
-- D1 enforces foreign keys, so deleting an account or a user cascades to what it owns.
-- Booleans are INTEGER 0/1; JSON maps and lists are TEXT; times are Unix seconds.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    domain TEXT,
    support_email TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    display_name TEXT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- NULL for agents invited through the Application API, who have not set one yet.
    password_hash TEXT,
    avatar_url TEXT,
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    pubsub_token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE account_users (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'agent')),
    availability TEXT NOT NULL DEFAULT 'offline' CHECK (availability IN ('available', 'busy', 'offline')),
    auto_offline INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (account_id, user_id)
) WITHOUT ROWID;
CREATE INDEX account_users_by_user ON account_users (user_id);

-- account_id NULL: a platform bot, connectable to inboxes of any account.
CREATE TABLE agent_bots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    outgoing_url TEXT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);

-- One token per user or agent bot, looked up on every authenticated request.
CREATE TABLE access_tokens (
    token TEXT PRIMARY KEY,
    user_id INTEGER UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    agent_bot_id INTEGER UNIQUE REFERENCES agent_bots (id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) <> (agent_bot_id IS NULL))
) WITHOUT ROWID;

CREATE TABLE inboxes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    channel_type TEXT NOT NULL CHECK (channel_type IN ('web_widget', 'api')),
    identifier TEXT NOT NULL UNIQUE,
    hmac_token TEXT NOT NULL,
    hmac_mandatory INTEGER NOT NULL DEFAULT 0,
    website_url TEXT,
    webhook_url TEXT,
    widget_color TEXT NOT NULL DEFAULT '#1f93ff',
    welcome_title TEXT,
    welcome_tagline TEXT,
    reply_time TEXT NOT NULL DEFAULT 'in_a_few_minutes',
    csat_survey_enabled INTEGER NOT NULL DEFAULT 0,
    greeting_enabled INTEGER NOT NULL DEFAULT 0,
    greeting_message TEXT,
    working_hours_enabled INTEGER NOT NULL DEFAULT 0,
    working_hours TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    out_of_office_message TEXT,
    enable_auto_assignment INTEGER NOT NULL DEFAULT 1,
    lock_to_single_conversation INTEGER NOT NULL DEFAULT 0,
    allow_messages_after_resolved INTEGER NOT NULL DEFAULT 1,
    allowed_domains TEXT NOT NULL DEFAULT '',
    pre_chat_form_enabled INTEGER NOT NULL DEFAULT 0,
    pre_chat_form_options TEXT NOT NULL DEFAULT '{}',
    agent_bot_id INTEGER REFERENCES agent_bots (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX inboxes_by_account ON inboxes (account_id);

CREATE TABLE inbox_members (
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (inbox_id, user_id)
) WITHOUT ROWID;
CREATE INDEX inbox_members_by_user ON inbox_members (user_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT COLLATE NOCASE,
    phone_number TEXT,
    identifier TEXT,
    avatar_url TEXT,
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    additional_attributes TEXT NOT NULL DEFAULT '{}',
    last_activity_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE UNIQUE INDEX contacts_by_identifier ON contacts (account_id, identifier) WHERE identifier IS NOT NULL;
CREATE INDEX contacts_by_email ON contacts (account_id, email) WHERE email IS NOT NULL;
CREATE INDEX contacts_by_phone ON contacts (account_id, phone_number) WHERE phone_number IS NOT NULL;

-- A contact's session in one inbox: source_id is the visitor's credential in the Client API.
CREATE TABLE contact_inboxes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    pubsub_token TEXT NOT NULL UNIQUE,
    hmac_verified INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (inbox_id, source_id)
);
CREATE INDEX contact_inboxes_by_contact ON contact_inboxes (contact_id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The id users see, numbered per account.
    display_id INTEGER NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    contact_inbox_id INTEGER NOT NULL REFERENCES contact_inboxes (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'pending', 'snoozed')),
    priority TEXT CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    additional_attributes TEXT NOT NULL DEFAULT '{}',
    contact_last_seen_at INTEGER NOT NULL DEFAULT 0,
    agent_last_seen_at INTEGER NOT NULL DEFAULT 0,
    snoozed_until INTEGER,
    last_activity_at INTEGER NOT NULL DEFAULT (unixepoch()),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (account_id, display_id)
);
CREATE INDEX conversations_by_inbox_status ON conversations (inbox_id, status);
CREATE INDEX conversations_by_contact_inbox ON conversations (contact_inbox_id);
CREATE INDEX conversations_by_contact ON conversations (contact_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    -- 0 incoming, 1 outgoing, 2 activity, 3 template.
    message_type INTEGER NOT NULL CHECK (message_type BETWEEN 0 AND 3),
    content_type TEXT NOT NULL DEFAULT 'text',
    content TEXT,
    content_attributes TEXT NOT NULL DEFAULT '{}',
    private INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    sender_type TEXT CHECK (sender_type IN ('contact', 'user', 'agent_bot')),
    sender_id INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
