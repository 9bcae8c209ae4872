-- Each alert in each language its readers speak: rendered once per language, not per reader.
-- alerts.text stays the text for anyone whose language has no row here (channels, old alerts).

CREATE TABLE alert_texts (
    alert_id         INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    language         TEXT NOT NULL,
    text             TEXT NOT NULL,
    PRIMARY KEY (alert_id, language)
) WITHOUT ROWID;
