-- rollcoach journal, schema 1: every record the coach keeps.
-- Times are integer milliseconds since 1970-01-01 UTC. Documents whose shape belongs to another
-- module (profile, plan, verdict, cues, answers) are JSON text; the columns queries need are typed.

-- 'RCJN': marks the file as a rollcoach journal, so rollcoach never migrates someone else's database.
PRAGMA application_id = 1380141646;

CREATE TABLE profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    updated_at  INTEGER NOT NULL,
    document    TEXT NOT NULL
);

CREATE TABLE screenings (
    id          INTEGER PRIMARY KEY,
    taken_at    INTEGER NOT NULL,
    tier        TEXT NOT NULL,
    answers     TEXT NOT NULL,
    verdict     TEXT NOT NULL
);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER NOT NULL CHECK (ended_at >= started_at),
    end_reason      TEXT NOT NULL CHECK (end_reason IN ('completed', 'quit', 'stopped_warning')),
    screening_id    INTEGER REFERENCES screenings(id),
    plan            TEXT NOT NULL,
    completed_steps TEXT NOT NULL,
    skipped_steps   TEXT NOT NULL,
    cues            TEXT NOT NULL
);

-- Time actually spent rolling each zone in a session ("minutes per zone").
CREATE TABLE session_zones (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    zone_id     TEXT NOT NULL,
    seconds     INTEGER NOT NULL CHECK (seconds >= 0),
    PRIMARY KEY (session_id, zone_id)
);

CREATE TABLE tender_spots (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    zone_id     TEXT NOT NULL,
    seconds     INTEGER NOT NULL CHECK (seconds >= 0)
);

CREATE TABLE pain_ratings (
    id          INTEGER PRIMARY KEY,
    recorded_at INTEGER NOT NULL,
    value       INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
    moment      TEXT NOT NULL CHECK (moment IN ('before', 'after', 'during', 'standalone')),
    session_id  INTEGER REFERENCES sessions(id),
    note        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    recorded_at  INTEGER NOT NULL,
    session_id   INTEGER REFERENCES sessions(id),
    soreness     INTEGER NOT NULL CHECK (soreness BETWEEN 0 AND 10),
    warning_sign INTEGER NOT NULL CHECK (warning_sign IN (0, 1)),
    tier         TEXT NOT NULL,
    answers      TEXT NOT NULL,
    verdict      TEXT NOT NULL
);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    recorded_at INTEGER NOT NULL,
    session_id  INTEGER REFERENCES sessions(id),
    text        TEXT NOT NULL
);

-- "A clinician has cleared me": lifts every warning-sign check-in recorded before it.
CREATE TABLE clearances (
    id          INTEGER PRIMARY KEY,
    recorded_at INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
