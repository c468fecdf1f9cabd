-- mig:revision abcd1234
-- mig:upgrade
CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN RETURN 'a;b'; END; $body$ LANGUAGE plpgsql;
DO $$ BEGIN PERFORM 1; END $$;
SELECT E'it\'s', 'x''y', "q""id", `bt``x`; /* a ; /* nested */ b */ SELECT 2;
-- mig:downgrade
DELIMITER //
CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; END//
DELIMITER ;
-- mig:statement begin
SELECT 1; SELECT 2;
-- mig:statement end
