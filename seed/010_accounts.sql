-- Demo accounts for the example task tracker. Re-run whenever this file
-- changes; ON CONFLICT keeps it idempotent (SQLite 3.24+, PostgreSQL).
-- mig:requires 1e2f3a4b5c04

INSERT INTO account (id, name, email, email_lower) VALUES
    (1, 'Ada Lovelace',  'Ada@example.org',   'ada@example.org'),
    (2, 'Grace Hopper',  'grace@example.org', 'grace@example.org'),
    (3, 'Edsger Dijkstra', 'EWD@example.org', 'ewd@example.org')
ON CONFLICT (id) DO NOTHING;
