-- rollcoach journal on PostgreSQL, schema 1: the same records as the SQLite journal's schemas 1-3,
-- plus a clearance's detail. Times are bigint milliseconds since 1970-01-01 UTC (as in SQLite, so
-- both backends order and compare times alike). Documents whose shape belongs to another module
-- (profile, plan, verdict, cues, answers, clearance detail) are jsonb; the columns queries need
-- are typed. The version lives in rollcoach_schema, which also marks the database as a journal.

CREATE TABLE rollcoach_schema (
    id          integer PRIMARY KEY CHECK (id = 1),
    application text NOT NULL CHECK (application = 'rollcoach-journal'),
    version     integer NOT NULL
);

CREATE TABLE profile (
    id          integer PRIMARY KEY CHECK (id = 1),
    updated_at  bigint NOT NULL,
    document    jsonb NOT NULL
);

CREATE TABLE screenings (
    id          bigserial PRIMARY KEY,
    taken_at    bigint NOT NULL,
    tier        text NOT NULL,
    answers     jsonb NOT NULL,
    verdict     jsonb NOT NULL
);

CREATE TABLE sessions (
    id              bigserial PRIMARY KEY,
    started_at      bigint NOT NULL,
    ended_at        bigint NOT NULL CHECK (ended_at >= started_at),
    end_reason      text NOT NULL CHECK (end_reason IN ('completed', 'quit', 'stopped_warning')),
    screening_id    bigint REFERENCES screenings(id),
    plan            jsonb NOT NULL,
    completed_steps jsonb NOT NULL,
    skipped_steps   jsonb NOT NULL,
    cues            jsonb NOT NULL
);

-- Time actually spent rolling each zone in a session ("minutes per zone").
CREATE TABLE session_zones (
    session_id  bigint NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    zone_id     text NOT NULL,
    seconds     bigint NOT NULL CHECK (seconds >= 0),
    PRIMARY KEY (session_id, zone_id)
);

CREATE TABLE tender_spots (
    id          bigserial PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    zone_id     text NOT NULL,
    seconds     bigint NOT NULL CHECK (seconds >= 0)
);

CREATE TABLE pain_ratings (
    id          bigserial PRIMARY KEY,
    recorded_at bigint NOT NULL,
    value       integer NOT NULL CHECK (value BETWEEN 0 AND 10),
    moment      text NOT NULL CHECK (moment IN ('before', 'after', 'during', 'standalone')),
    session_id  bigint REFERENCES sessions(id),
    note        text NOT NULL DEFAULT ''
);

CREATE TABLE checkins (
    id           bigserial PRIMARY KEY,
    recorded_at  bigint NOT NULL,
    session_id   bigint REFERENCES sessions(id),
    soreness     integer NOT NULL CHECK (soreness BETWEEN 0 AND 10),
    warning_sign boolean NOT NULL,
    tier         text NOT NULL,
    answers      jsonb NOT NULL,
    verdict      jsonb NOT NULL
);

CREATE TABLE notes (
    id          bigserial PRIMARY KEY,
    recorded_at bigint NOT NULL,
    session_id  bigint REFERENCES sessions(id),
    text        text NOT NULL
);

-- "A clinician has cleared me": lifts every warning-sign check-in recorded before it. `detail`:
-- who cleared, when, which flags, limits, expiry (coach/clearance.h).
CREATE TABLE clearances (
    id          bigserial PRIMARY KEY,
    recorded_at bigint NOT NULL,
    note        text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}'
);

-- The time-ordered reads (history, stats, pain trend, planning) stay index scans after years.
CREATE INDEX sessions_by_start ON sessions(started_at, id);
CREATE INDEX pain_by_time ON pain_ratings(recorded_at, id);
CREATE INDEX pain_by_session ON pain_ratings(session_id);
CREATE INDEX checkins_by_time ON checkins(recorded_at, id);
CREATE INDEX checkins_warnings ON checkins(recorded_at) WHERE warning_sign;
CREATE INDEX notes_by_time ON notes(recorded_at, id);
CREATE INDEX screenings_by_time ON screenings(taken_at, id);
CREATE INDEX clearances_by_time ON clearances(recorded_at, id);
CREATE INDEX tender_spots_by_session ON tender_spots(session_id);
