-- mig:revision st0002created
-- mig:parent   st0001create
-- mig:message  add note.created
-- mig:upgrade
ALTER TABLE note ADD COLUMN created VARCHAR(32);

-- mig:downgrade
ALTER TABLE note DROP COLUMN created;
