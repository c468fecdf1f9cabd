-- mig:revision 5d6e7f8a9b05
-- mig:parent   1e2f3a4b5c04
-- mig:message  backfill account.email_lower
-- mig:created  2026-11-11T09:00:00Z
-- mig:kind     data

-- mig:upgrade
-- Accounts created before email_lower existed; lower() keeps lookups
-- case-insensitive without a functional index.
UPDATE account SET email_lower = lower(email)
 WHERE email IS NOT NULL AND email_lower IS NULL;

-- mig:downgrade
UPDATE account SET email_lower = NULL;
