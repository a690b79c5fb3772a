-- rollcoach clinic, schema 1: who may log in, and what a therapist did. It lives in the schema
-- "clinic" of the clinic's database; each patient's journal lives in its own schema
-- ("patient_<id>", the journal's own tables and migrations, src/journal). Times are bigint
-- milliseconds since 1970-01-01 UTC, as in the journal.

CREATE TABLE clinic.clinic_schema (
    id          integer PRIMARY KEY CHECK (id = 1),
    application text NOT NULL CHECK (application = 'rollcoach-clinic'),
    version     integer NOT NULL
);

-- Therapists and patients. A patient belongs to one therapist; its journal is in journal_schema.
-- password_hash is libsodium's crypto_pwhash_str (Argon2id, its own salt and parameters inside).
CREATE TABLE clinic.accounts (
    id              bigserial PRIMARY KEY,
    role            text NOT NULL CHECK (role IN ('therapist', 'patient')),
    email           text NOT NULL,
    name            text NOT NULL,
    password_hash   text NOT NULL,
    therapist_id    bigint REFERENCES clinic.accounts(id),
    journal_schema  text UNIQUE,
    created_at      bigint NOT NULL,
    CHECK ((role = 'patient') = (therapist_id IS NOT NULL AND journal_schema IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_by_email ON clinic.accounts (lower(email));
CREATE INDEX patients_by_therapist ON clinic.accounts (therapist_id) WHERE role = 'patient';

-- A logged-in browser: the cookie holds the token, the table only its SHA-256 (a stolen table
-- cannot be replayed as a cookie). csrf goes back in X-CSRF-Token on every state change.
CREATE TABLE clinic.logins (
    token_sha256  text PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES clinic.accounts(id) ON DELETE CASCADE,
    csrf          text NOT NULL,
    created_at    bigint NOT NULL,
    expires_at    bigint NOT NULL
);
CREATE INDEX logins_by_account ON clinic.logins (account_id);

-- A one-time link a therapist sends a new patient; used_at is set when the account is made.
CREATE TABLE clinic.invites (
    token_sha256  text PRIMARY KEY,
    therapist_id  bigint NOT NULL REFERENCES clinic.accounts(id),
    name          text NOT NULL,
    email         text NOT NULL,
    created_at    bigint NOT NULL,
    expires_at    bigint NOT NULL,
    used_at       bigint,
    patient_id    bigint REFERENCES clinic.accounts(id)
);

-- The limits a therapist set for a patient's plan (coach/therapist_limits.h shape).
CREATE TABLE clinic.limits (
    patient_id  bigint PRIMARY KEY REFERENCES clinic.accounts(id) ON DELETE CASCADE,
    document    jsonb NOT NULL,
    set_by      bigint NOT NULL REFERENCES clinic.accounts(id),
    set_at      bigint NOT NULL
);

-- Every read or change of a patient's data by a therapist, and every refused cross-account try.
-- patient_id is the id asked for (it may name nobody, or another therapist's patient).
CREATE TABLE clinic.audit (
    id            bigserial PRIMARY KEY,
    at            bigint NOT NULL,
    account_id    bigint NOT NULL REFERENCES clinic.accounts(id),
    action        text NOT NULL,
    patient_id    bigint,
    route         text NOT NULL
);
CREATE INDEX audit_by_patient ON clinic.audit (patient_id, at);
CREATE INDEX audit_by_account ON clinic.audit (account_id, at);
