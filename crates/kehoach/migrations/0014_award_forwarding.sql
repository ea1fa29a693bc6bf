-- Entries a secretariat imports from the lists lower committees send carry
-- the unit that forwarded them (empty for entries submitted online).
ALTER TABLE award_entries ADD COLUMN forwarded_by TEXT NOT NULL DEFAULT '';
