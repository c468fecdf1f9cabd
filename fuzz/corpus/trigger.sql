-- mig:revision c0ffee123406
-- mig:parent   5d6e7f8a9b05
-- mig:message  touch project.updated_at when its tasks change
-- mig:created  2026-11-12T09:00:00Z

-- mig:upgrade
CREATE TRIGGER task_touch_project AFTER INSERT ON task
BEGIN
    UPDATE project SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
     WHERE id = NEW.project_id;  -- a ';' inside BEGIN ... END does not end the trigger
END;

CREATE TRIGGER task_touch_project_on_update AFTER UPDATE OF done, title ON task
BEGIN
    UPDATE project SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
     WHERE id = NEW.project_id;
END;

-- mig:downgrade
DROP TRIGGER task_touch_project_on_update;
DROP TRIGGER task_touch_project;
