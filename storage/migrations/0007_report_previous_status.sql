-- What a person's status was before a report changed it, so /retract can put it back.
ALTER TABLE reports ADD COLUMN status_before TEXT;
ALTER TABLE reports ADD COLUMN since_before TEXT;
ALTER TABLE reports ADD COLUMN held_before TEXT;
