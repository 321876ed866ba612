-- The back office's audit log viewer filters by actor and by subject
-- (newest first): without these it reads the log from the newest entry
-- down until a page is full, which for a rare actor or subject is the
-- whole log.
CREATE INDEX audit_log_by_actor ON audit_log (actor_user_id, occurred_at);
CREATE INDEX audit_log_by_subject ON audit_log (subject_type, subject_id, occurred_at);
