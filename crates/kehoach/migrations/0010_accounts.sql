-- Accounts people can manage: a password reset by an administrator must be
-- replaced at the next log-in.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
