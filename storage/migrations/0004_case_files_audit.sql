-- Case files, the health timeline, and an append-only audit log.

ALTER TABLE people ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN birthday TEXT NOT NULL DEFAULT '';        -- YYYY-MM-DD or empty
ALTER TABLE people ADD COLUMN lawyer_contact TEXT NOT NULL DEFAULT '';  -- coordinators only
ALTER TABLE people ADD COLUMN public_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN internal_notes TEXT NOT NULL DEFAULT '';  -- coordinators only
-- Health details are for members and up, unless the family wants them published.
ALTER TABLE people ADD COLUMN health_public INTEGER NOT NULL DEFAULT 0 CHECK (health_public IN (0, 1));

-- Facts read from health reports (weight, hunger strike, hospital), one row per fact.
CREATE TABLE health_facts (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    report_id        INTEGER REFERENCES reports (id) ON DELETE SET NULL,
    at               TEXT NOT NULL,
    kind             TEXT NOT NULL,
    weight_kg        REAL,
    day              INTEGER
);
CREATE INDEX health_facts_person ON health_facts (person_id, at);

-- The audit trail is evidence: rows can be added, never changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
