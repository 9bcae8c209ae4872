-- rebuilds tables: alerts gains the kinds hearing, reminder and digest.
-- Hearings, sentences and release dates, reminders as rows, and the daily digest opt-in.

CREATE TABLE alerts_new (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('report', 'broadcast', 'correction', 'followup',
                                                   'hearing', 'reminder', 'digest')),
    report_id        INTEGER REFERENCES reports (id),
    priority         INTEGER NOT NULL,
    text             TEXT NOT NULL,
    latitude         REAL,
    longitude        REAL,
    media_kind       TEXT CHECK (media_kind IN ('photo', 'voice', 'video')),
    media_file_id    TEXT,
    paid             INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    summary_chat_id  INTEGER,
    created_at       TEXT NOT NULL,
    completed_at     TEXT
);
INSERT INTO alerts_new SELECT * FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE INDEX alerts_report ON alerts (report_id);

CREATE TABLE hearings (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    starts_at        TEXT NOT NULL,
    place            TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    closed           INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    state            TEXT NOT NULL DEFAULT 'scheduled'
                     CHECK (state IN ('scheduled', 'cancelled', 'over')),
    -- How many said they would attend; kept when the attendee rows are deleted after the
    -- hearing, because who attends is a list of likely protesters.
    attendee_count   INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX hearings_upcoming ON hearings (state, starts_at);
CREATE INDEX hearings_person ON hearings (person_id, starts_at);

CREATE TABLE hearing_attendees (
    hearing_id       INTEGER NOT NULL REFERENCES hearings (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    PRIMARY KEY (hearing_id, user_id)
);

CREATE TABLE sentences (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    years            INTEGER NOT NULL DEFAULT 0,
    months           INTEGER NOT NULL DEFAULT 0,
    days             INTEGER NOT NULL DEFAULT 0,
    start_date       TEXT NOT NULL,                  -- local calendar date, YYYY-MM-DD
    credit_days      INTEGER NOT NULL DEFAULT 0,
    release_date     TEXT NOT NULL,                  -- local calendar date, YYYY-MM-DD
    created_by       INTEGER,
    created_at       TEXT NOT NULL
);
CREATE INDEX sentences_person ON sentences (person_id, id);

-- The expected release: a UTC instant (the release date at 09:00 local unless a time is known).
ALTER TABLE people ADD COLUMN release_at TEXT;

CREATE TABLE reminders (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('hearing', 'attendee', 'release', 'release_check')),
    hearing_id       INTEGER REFERENCES hearings (id) ON DELETE CASCADE,
    person_id        INTEGER REFERENCES people (id) ON DELETE CASCADE,
    event_at         TEXT NOT NULL,                  -- when the hearing or release happens
    due_at           TEXT NOT NULL,
    lead             INTEGER NOT NULL DEFAULT 0,      -- seconds before the event
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'missed', 'cancelled')),
    sent_at          TEXT
);
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_hearing ON reminders (hearing_id);
CREATE INDEX reminders_person ON reminders (person_id);

ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));

-- Small facts the bot keeps between runs, e.g. the date of the last daily digest.
CREATE TABLE bot_state (
    key              TEXT PRIMARY KEY,
    value            TEXT NOT NULL
);
