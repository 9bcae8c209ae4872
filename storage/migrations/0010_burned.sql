-- Burning access (/burn): someone whose phone is believed seized. A burned person has no role,
-- is unsubscribed, and the gate answers them only as it answers an unknown command.
-- burned_role is the role they had: an admin burned while listed in ADMIN_IDS stays burned
-- (identify() does not promote them) until the id leaves ADMIN_IDS; at the next start the
-- burn is then lifted, leaving them without a role (see README, "Burning access and /panic").
ALTER TABLE users ADD COLUMN burned_at TEXT;
ALTER TABLE users ADD COLUMN burned_role TEXT;
