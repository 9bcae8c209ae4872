-- Which outbox alert carried a reminder, so the deliveries of attendee reminders (a list of
-- who said they would be at a hearing) can be deleted once the hearing is over.
ALTER TABLE reminders ADD COLUMN alert_id INTEGER REFERENCES alerts (id) ON DELETE SET NULL;
