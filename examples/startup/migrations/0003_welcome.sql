-- mig:revision st0003welcome
-- mig:parent   st0002created
-- mig:message  the welcome note
-- mig:kind     data
-- mig:upgrade
INSERT INTO note (id, body) VALUES (1, 'welcome');

-- mig:downgrade
DELETE FROM note WHERE id = 1;
