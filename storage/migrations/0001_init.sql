-- Foundation: people who use the bot, invites, and the audit trail.
-- Times are ISO-8601 text in UTC ("2026-11-30T19:21:43+00:00"), which sorts correctly.

CREATE TABLE users (
    telegram_id   INTEGER PRIMARY KEY,
    username      TEXT,
    first_name    TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'subscriber'
                  CHECK (role IN ('none', 'subscriber', 'member', 'coordinator', 'admin')),
    language      TEXT NOT NULL DEFAULT 'en',
    subscribed    INTEGER NOT NULL DEFAULT 1 CHECK (subscribed IN (0, 1)),
    -- A random name for this person in the audit log, so that forgetting them
    -- later leaves the trail intact but anonymous.
    pseudonym     TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX users_username ON users (lower(username));
CREATE INDEX users_role ON users (role);

CREATE TABLE invites (
    id            INTEGER PRIMARY KEY,
    -- SHA-256 of the code; the code itself is never stored.
    code_hash     TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('member', 'coordinator')),
    created_by    TEXT NOT NULL,          -- pseudonym of the inviter
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_by       TEXT,                   -- pseudonym of whoever redeemed it
    used_at       TEXT
);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT,                   -- pseudonym; NULL for someone the bot does not know
    action        TEXT NOT NULL,
    target        TEXT,                   -- pseudonym or object reference
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
