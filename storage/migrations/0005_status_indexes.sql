-- A person's timeline (storage/timeline.py, behind /status and /history) is ordered by time,
-- newest first, across reports, hearings and sentences. reports_person puts kind before
-- reported_at, so SQLite read and sorted every report about the person on each call (5-10 ms
-- for someone with a few thousand reports). This index is in the ORDER BY's order (reported_at,
-- then the rowid, which is the id), so the merge reads newest first and stops at the LIMIT.
CREATE INDEX reports_person_time ON reports (person_id, reported_at);
