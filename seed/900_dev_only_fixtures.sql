-- Extra fixtures for local development only: run with --env dev.
-- mig:env dev,test

INSERT INTO task (id, project_id, title, done, due_on) VALUES
    (100, 1, 'Fixture: overdue task', 0, '2000-01-01')
ON CONFLICT (id) DO NOTHING;
