-- rollcoach journal, schema 3: keeps `stats` fast after years of daily use.
-- Minutes per zone come from running totals kept by triggers (exact: every change to
-- session_zones goes through them), instead of summing every session each time; the
-- warning-sign lookup reads a partial index holding only the warning check-ins.

CREATE TABLE zone_totals (
    zone_id TEXT PRIMARY KEY,
    seconds INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO zone_totals (zone_id, seconds)
    SELECT zone_id, SUM(seconds) FROM session_zones GROUP BY zone_id;

CREATE TRIGGER zone_totals_on_insert AFTER INSERT ON session_zones BEGIN
    INSERT INTO zone_totals (zone_id, seconds) VALUES (NEW.zone_id, NEW.seconds)
        ON CONFLICT (zone_id) DO UPDATE SET seconds = seconds + excluded.seconds;
END;

CREATE TRIGGER zone_totals_on_delete AFTER DELETE ON session_zones BEGIN
    UPDATE zone_totals SET seconds = seconds - OLD.seconds WHERE zone_id = OLD.zone_id;
END;

CREATE TRIGGER zone_totals_on_update AFTER UPDATE ON session_zones BEGIN
    UPDATE zone_totals SET seconds = seconds - OLD.seconds WHERE zone_id = OLD.zone_id;
    INSERT INTO zone_totals (zone_id, seconds) VALUES (NEW.zone_id, NEW.seconds)
        ON CONFLICT (zone_id) DO UPDATE SET seconds = seconds + excluded.seconds;
END;

CREATE INDEX checkins_warnings ON checkins(recorded_at) WHERE warning_sign = 1;
