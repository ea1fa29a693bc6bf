-- The score log records every change to a round's sheets, not only saves:
-- a sheet withdrawn when its judge is taken off an entry, and the settings
-- the outcome depends on when the round closes. Rounds opened from now on
-- chain their log with a key kept outside the database (kehoach_award::seal),
-- named by key_id; rounds without one keep the older, unkeyed chain.
ALTER TABLE award_score_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'score';
ALTER TABLE award_rounds ADD COLUMN key_id TEXT;
