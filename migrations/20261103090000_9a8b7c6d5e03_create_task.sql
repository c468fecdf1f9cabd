-- mig:revision 9a8b7c6d5e03
-- mig:parent   7c3d5e1f2a02
-- mig:message  create task
-- mig:created  2026-11-03T09:00:00Z

-- mig:upgrade
CREATE TABLE task (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    due_on     TEXT  -- ISO date; NULL means "someday"
);
CREATE INDEX task_project_idx ON task (project_id, done);

-- mig:downgrade
DROP INDEX task_project_idx;
DROP TABLE task;
