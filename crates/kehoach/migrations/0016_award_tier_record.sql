-- What the council decided about whole prize tiers, for the decision and the
-- minutes: a tier it chose not to award (with its reason), and every change
-- of the edition's tiers made after a round was sealed (awards::tiers).
CREATE TABLE award_tier_decisions (
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    tier TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (edition_id, tier)
);
CREATE TABLE award_tier_changes (
    id @ID@,
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    changed_at BIGINT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    before_tiers TEXT NOT NULL,
    after_tiers TEXT NOT NULL
);
CREATE INDEX award_tier_changes_edition ON award_tier_changes (edition_id, id);
