-- What only a PostgreSQL 17 (or newer) server can hold, on top of schema.sql (tst_describe
-- loads it when the server is 17+): an access method on a partitioned table, and targets
-- put back with the DEFAULT keyword (NULL in the catalog).
CREATE TABLE readings (sensor int NOT NULL, at timestamptz NOT NULL, value real)
    PARTITION BY RANGE (at) USING heap;
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE STATISTICS readings_stats (dependencies) ON sensor, value FROM readings;
ALTER STATISTICS readings_stats SET STATISTICS 80;
ALTER STATISTICS readings_stats SET STATISTICS DEFAULT;
ALTER TABLE readings ALTER COLUMN value SET STATISTICS 90;
ALTER TABLE readings ALTER COLUMN sensor SET STATISTICS 10;
ALTER TABLE readings ALTER COLUMN sensor SET STATISTICS DEFAULT;
