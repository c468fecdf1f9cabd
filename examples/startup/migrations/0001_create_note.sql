-- mig:revision st0001create
-- mig:message  create note
-- mig:upgrade
CREATE TABLE note (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL);

-- mig:downgrade
DROP TABLE note;
