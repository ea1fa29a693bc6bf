-- The notes of the last computation of an edition's results (ties at a
-- boundary, unfilled, over-filled and unreached tiers), kept with them so
-- every view and paper shows the same list (awards::notices::Notice as JSON).
ALTER TABLE award_editions ADD COLUMN notices_json TEXT NOT NULL DEFAULT '[]';
