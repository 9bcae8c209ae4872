-- Reports and alerts: people under watch, reports and their verification, the alert outbox,
-- following, and the ids of updates already applied.

CREATE TABLE people (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,                 -- as first recorded; never transliterated
    match_key        TEXT NOT NULL,                 -- see bot/people.py: match_key()
    city             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'free'
                     CHECK (status IN ('free', 'detained', 'arrested', 'imprisoned')),
    status_since     TEXT,
    held_at          TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    last_reported_at TEXT
);
CREATE INDEX people_match_key ON people (match_key);
CREATE INDEX people_last_reported ON people (last_reported_at);

CREATE TABLE person_aliases (
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    alias            TEXT NOT NULL,
    match_key        TEXT NOT NULL,
    PRIMARY KEY (person_id, match_key)
);
CREATE INDEX person_aliases_key ON person_aliases (match_key);

CREATE TABLE reports (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('detention', 'release', 'health', 'other', 'broadcast')),
    person_id        INTEGER REFERENCES people (id),   -- NULL only for broadcasts
    reporter_id      INTEGER REFERENCES users (telegram_id) ON DELETE SET NULL,
    place            TEXT NOT NULL DEFAULT '',
    latitude         REAL,
    longitude        REAL,
    details          TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL
                     CHECK (state IN ('pending', 'confirmed', 'unverified', 'rejected',
                                      'retracted', 'duplicate')),
    duplicate_of     INTEGER REFERENCES reports (id),
    corroborations   INTEGER NOT NULL DEFAULT 1,
    reported_at      TEXT NOT NULL,
    decided_by       INTEGER,                          -- telegram id of the coordinator
    decided_at       TEXT,
    decision_note    TEXT NOT NULL DEFAULT '',
    escalated_at     TEXT
);
CREATE INDEX reports_pending ON reports (state, reported_at);
CREATE INDEX reports_person ON reports (person_id, kind, reported_at);
CREATE INDEX reports_reporter ON reports (reporter_id, reported_at);

CREATE TABLE report_media (
    id               INTEGER PRIMARY KEY,
    report_id        INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('photo', 'voice', 'video')),
    file_id          TEXT NOT NULL,
    added_at         TEXT NOT NULL
);

-- The Confirm / Reject messages sent to coordinators, so the others' copies can be edited.
CREATE TABLE verification_messages (
    report_id        INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    chat_id          INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,
    PRIMARY KEY (report_id, chat_id, message_id)
);

-- The outbox: an alert and one delivery per recipient are written in one transaction.
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('report', 'broadcast', 'correction', 'followup')),
    report_id        INTEGER REFERENCES reports (id),
    priority         INTEGER NOT NULL,                 -- 0 goes first (detentions)
    text             TEXT NOT NULL,                    -- HTML, already escaped
    latitude         REAL,
    longitude        REAL,
    media_kind       TEXT CHECK (media_kind IN ('photo', 'voice', 'video')),
    media_file_id    TEXT,
    paid             INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    summary_chat_id  INTEGER,                          -- who gets "delivered N of M"
    created_at       TEXT NOT NULL,
    completed_at     TEXT
);
CREATE INDEX alerts_report ON alerts (report_id);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    alert_id         INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    chat_id          INTEGER NOT NULL,
    priority         INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'blocked', 'failed')),
    parts_sent       INTEGER NOT NULL DEFAULT 0,       -- text, then location, then media
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    sent_at          TEXT,
    error            TEXT NOT NULL DEFAULT '',
    UNIQUE (alert_id, chat_id)
);
CREATE INDEX deliveries_due ON deliveries (priority, next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_alert ON deliveries (alert_id, state);

-- A group that became a supergroup gets a new id; alerts follow it.
CREATE TABLE chat_migrations (
    old_chat_id      INTEGER PRIMARY KEY,
    new_chat_id      INTEGER NOT NULL
);

CREATE TABLE follows (
    user_id          INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (user_id, person_id)
);
CREATE INDEX follows_person ON follows (person_id);

ALTER TABLE users ADD COLUMN alert_mode TEXT NOT NULL DEFAULT 'all'
    CHECK (alert_mode IN ('all', 'followed'));

-- Each Telegram update is applied once, even if getUpdates returns it again after a crash.
CREATE TABLE processed_updates (
    update_id        INTEGER PRIMARY KEY,
    at               TEXT NOT NULL
);
