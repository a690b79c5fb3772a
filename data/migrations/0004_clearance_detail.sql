-- rollcoach journal, schema 4: a clinician's clearance says who cleared the user, on which date,
-- which flagged answers it covers and within which limits (coach/clearance.h). Kept as one JSON
-- document so the rules can grow without another migration. '{}' marks a clearance recorded
-- before schema 4 (a bare "a clinician has cleared me" with a note).
ALTER TABLE clearances ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
