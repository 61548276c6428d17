CREATE TABLE projects (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    title      TEXT NOT NULL,
    -- Free text, neither key nor indexed: long values are stored compressed with compress=auto.
    details    TEXT
);

CREATE INDEX tasks_by_project ON tasks (project_id);
