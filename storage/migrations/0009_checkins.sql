-- Check-ins: a dead man's switch. A member says "alert the coordinators if I have not checked
-- in by due_at"; the row is the truth, the scheduler only mirrors it (like reminders).
CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    set_at       TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    warn_at      TEXT,                                 -- "still OK?"; NULL: too short to ask
    place        TEXT NOT NULL DEFAULT '',             -- the "where" typed (a SQL keyword)
    note         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'running'
                 CHECK (state IN ('running', 'safe', 'alerted', 'replaced')),
    warned_at    TEXT,
    alerted_at   TEXT,
    ended_at     TEXT,                                 -- safe or replaced
    alert_id     INTEGER REFERENCES alerts (id) ON DELETE SET NULL
);
-- One running check-in per member: a new one replaces it in the same transaction.
CREATE UNIQUE INDEX checkins_one_running ON checkins (member_id) WHERE state = 'running';
CREATE INDEX checkins_running_due ON checkins (due_at) WHERE state = 'running';

-- Alerts may carry inline buttons (JSON, one keyboard per language) and go with protect_content
-- (coordinator-only messages cannot be forwarded or saved from a seized phone).
ALTER TABLE alerts ADD COLUMN keyboard TEXT;
ALTER TABLE alerts ADD COLUMN protect_content INTEGER NOT NULL DEFAULT 0
    CHECK (protect_content IN (0, 1));
