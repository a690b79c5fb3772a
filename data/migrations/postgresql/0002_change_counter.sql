-- rollcoach journal on PostgreSQL, schema 2: a change counter. Every INSERT, UPDATE, DELETE or
-- TRUNCATE on any of the journal's tables bumps journal_changes.counter in the same transaction,
-- through a statement trigger: whoever writes (the server, the spool's replay, an import, another
-- server process, psql) cannot forget it, and a rolled-back write leaves it as it was. A reader
-- that keeps something computed from the journal (the clinic's patient list,
-- src/clinic/patient_summary.h) keeps the counter it read before reading the records, and reads
-- them again when the counter has moved. The counter only says "something changed": what a change
-- means stays in the C++ that reads the records.

CREATE TABLE journal_changes (
    id      integer PRIMARY KEY CHECK (id = 1),
    counter bigint NOT NULL
);
INSERT INTO journal_changes (id, counter) VALUES (1, 0);

-- The written table's own schema, not the search path: a write made from psql with another
-- search_path still counts in its own journal (and never in another one's).
CREATE FUNCTION count_journal_change() RETURNS trigger LANGUAGE plpgsql AS $rc$
BEGIN
    EXECUTE format('UPDATE %I.journal_changes SET counter = counter + 1 WHERE id = 1', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$rc$;

-- Every table of the journal but the two that describe it (rollcoach_schema, journal_changes).
-- A migration that adds a table adds its trigger too; tests/unit/journal/change_counter_test.cpp
-- fails while one is missing.
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON profile FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON screenings FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON session_zones FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tender_spots FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pain_ratings FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON checkins FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notes FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
CREATE TRIGGER count_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clearances FOR EACH STATEMENT EXECUTE FUNCTION count_journal_change();
