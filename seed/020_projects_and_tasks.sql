-- Two projects with a few tasks each, so `make db-seed` leaves something to
-- look at.

INSERT INTO project (id, owner_id, name) VALUES
    (1, 1, 'Analytical Engine notes'),
    (2, 2, 'COBOL compiler')
ON CONFLICT (id) DO NOTHING;

INSERT INTO task (id, project_id, title, done, due_on) VALUES
    (1, 1, 'Translate Menabrea''s article', 1, '1843-07-01'),
    (2, 1, 'Write note G (Bernoulli numbers)', 0, '1843-09-01'),
    (3, 2, 'Design FLOW-MATIC successor', 0, NULL),
    (4, 2, 'Find the moth', 1, '1947-09-09')
ON CONFLICT (id) DO NOTHING;
