-- A direct conversation is the room dm:<a>:<b>, up to 68 characters. SQLite does not enforce VARCHAR
-- lengths; PostgreSQL does, so its room columns are widened here (a PostgreSQL-only migration).
ALTER TABLE rooms ALTER COLUMN name TYPE VARCHAR(80);
ALTER TABLE events ALTER COLUMN room TYPE VARCHAR(80);
ALTER TABLE post_keys ALTER COLUMN room TYPE VARCHAR(80);
