-- Authors are told apart by their names as written (kehoach_award::person_key:
-- invisible characters removed, look-alike letters mapped, diacritics kept),
-- no longer by a diacritic-less fold that made "Hoa" and "Hòa" one person.
-- The keys of existing rows are recomputed by the application right after.
ALTER TABLE award_authors RENAME COLUMN folded_name TO person_key;
DROP INDEX award_authors_folded;
CREATE INDEX award_authors_person ON award_authors(person_key);
