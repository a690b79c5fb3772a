-- rollcoach journal, schema 2: indexes for the time-ordered queries (history, stats, pain trend)
-- so they stay fast after years of daily use.

CREATE INDEX sessions_by_start ON sessions(started_at);
CREATE INDEX pain_by_time ON pain_ratings(recorded_at);
CREATE INDEX pain_by_session ON pain_ratings(session_id);
CREATE INDEX checkins_by_time ON checkins(recorded_at);
CREATE INDEX notes_by_time ON notes(recorded_at);
CREATE INDEX screenings_by_time ON screenings(taken_at);
CREATE INDEX clearances_by_time ON clearances(recorded_at);
CREATE INDEX tender_spots_by_session ON tender_spots(session_id);
