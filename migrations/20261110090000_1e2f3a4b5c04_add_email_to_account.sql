-- mig:revision 1e2f3a4b5c04
-- mig:parent   9a8b7c6d5e03
-- mig:message  add email to account
-- mig:created  2026-11-10T09:00:00Z

-- mig:upgrade
ALTER TABLE account ADD COLUMN email TEXT;
ALTER TABLE account ADD COLUMN email_lower TEXT;
CREATE UNIQUE INDEX account_email_lower_idx ON account (email_lower);

-- mig:downgrade
DROP INDEX account_email_lower_idx;
ALTER TABLE account DROP COLUMN email_lower;
ALTER TABLE account DROP COLUMN email;
