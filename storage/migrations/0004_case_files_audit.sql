-- Case files and an append-only audit log. (The health timeline is read from the health
-- reports themselves, so the report text stays the one source of truth.)

ALTER TABLE people ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN birthday TEXT NOT NULL DEFAULT '';        -- YYYY-MM-DD or empty
ALTER TABLE people ADD COLUMN lawyer_contact TEXT NOT NULL DEFAULT '';  -- coordinators only
ALTER TABLE people ADD COLUMN public_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN internal_notes TEXT NOT NULL DEFAULT '';  -- coordinators only
-- Health details are for members and up, unless the family wants them published.
ALTER TABLE people ADD COLUMN health_public INTEGER NOT NULL DEFAULT 0 CHECK (health_public IN (0, 1));

-- The audit trail is evidence: rows can be added, never changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
