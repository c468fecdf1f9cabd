-- mig:revision 4b1f0c2a9e01
-- mig:message  create account
-- mig:created  2026-11-01T09:00:00Z

-- mig:upgrade
CREATE TABLE account (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- mig:downgrade
DROP TABLE account;
