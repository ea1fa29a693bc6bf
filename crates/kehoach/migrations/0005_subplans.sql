-- A unit's own implementing plan (sub-plan) points at the plan it
-- implements and at the unit it belongs to.
ALTER TABLE plans ADD COLUMN parent_id BIGINT REFERENCES plans(id);
ALTER TABLE plans ADD COLUMN unit_id BIGINT REFERENCES units(id);
CREATE INDEX plans_parent ON plans(parent_id, unit_id);
