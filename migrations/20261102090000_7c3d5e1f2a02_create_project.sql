-- mig:revision 7c3d5e1f2a02
-- mig:parent   4b1f0c2a9e01
-- mig:message  create project
-- mig:created  2026-11-02T09:00:00Z

-- mig:upgrade
CREATE TABLE project (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    updated_at TEXT
);
CREATE UNIQUE INDEX project_owner_name_idx ON project (owner_id, name);

-- mig:downgrade
DROP INDEX project_owner_name_idx;
DROP TABLE project;
