-- Fails on its third statement, after creating a table and inserting into it: Flyway must roll all of it back.
CREATE TABLE labels (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
INSERT INTO labels (name) VALUES ('urgent');
INSERT INTO no_such_table (name) VALUES ('x');
