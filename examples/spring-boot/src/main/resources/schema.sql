-- Run by Spring Boot at start (spring.sql.init.mode=always). The title is indexed, so the driver never compresses
-- it; the payload is a plain TEXT column, so its values of 256 bytes or more are stored compressed.
CREATE TABLE IF NOT EXISTS note (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    title   TEXT NOT NULL,
    payload TEXT
);
CREATE INDEX IF NOT EXISTS note_title ON note(title);
