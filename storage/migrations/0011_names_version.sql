-- A counter that every change to a name or alias moves on, so the name matcher can keep its
-- prepared list of names in memory and re-read it only when a name changed (bot/directory.py):
-- /find and /status <name> then rank from memory instead of reading every name each time.
-- Triggers, not application code, so every write path (reports, /alias, forget, retention,
-- a restored backup) moves it.
CREATE TABLE names_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO names_version (id, version) VALUES (1, 0);
CREATE TRIGGER people_names_insert AFTER INSERT ON people
BEGIN UPDATE names_version SET version = version + 1; END;
CREATE TRIGGER people_names_update AFTER UPDATE OF name ON people
BEGIN UPDATE names_version SET version = version + 1; END;
CREATE TRIGGER people_names_delete AFTER DELETE ON people
BEGIN UPDATE names_version SET version = version + 1; END;
CREATE TRIGGER aliases_names_insert AFTER INSERT ON person_aliases
BEGIN UPDATE names_version SET version = version + 1; END;
CREATE TRIGGER aliases_names_update AFTER UPDATE ON person_aliases
BEGIN UPDATE names_version SET version = version + 1; END;
CREATE TRIGGER aliases_names_delete AFTER DELETE ON person_aliases
BEGIN UPDATE names_version SET version = version + 1; END;
