-- The help center (contract 7.5): portals, their categories and articles, in the account's
-- shard. A portal's slug and custom domain are unique in the whole deployment (the public
-- routes name no account), so the directory keeps them as keys of their account.

-- SQLite cannot widen a CHECK: the directory's keys are copied into a table that also takes
-- the kinds 'portal' (a slug) and 'portal_domain' (a custom domain).
CREATE TABLE directory_keys_widened (
    kind TEXT NOT NULL CHECK (kind IN ('inbox', 'session', 'conversation', 'portal', 'portal_domain')),
    key TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key)
);
INSERT INTO directory_keys_widened (kind, key, account_id) SELECT kind, key, account_id FROM directory_keys;
DROP TABLE directory_keys;
ALTER TABLE directory_keys_widened RENAME TO directory_keys;

CREATE TABLE portals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    custom_domain TEXT UNIQUE,
    color TEXT,
    header_text TEXT,
    page_title TEXT,
    homepage_link TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    -- {allowed_locales: [...], default_locale}
    config TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX portals_by_account ON portals (account_id);

CREATE TABLE portal_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    portal_id INTEGER NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    locale TEXT NOT NULL,
    description TEXT,
    position INTEGER,
    -- Categories of the same portal; cleared by the deletion of the one they name (no
    -- foreign key, so that an account's categories copy to another shard in any order).
    parent_category_id INTEGER,
    associated_category_id INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (portal_id, locale, slug)
);

CREATE TABLE portal_articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    portal_id INTEGER NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES portal_categories (id) ON DELETE SET NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    content TEXT,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    position INTEGER,
    locale TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    views INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (portal_id, slug)
);
CREATE INDEX portal_articles_by_portal ON portal_articles (portal_id, status, locale, position, id);
