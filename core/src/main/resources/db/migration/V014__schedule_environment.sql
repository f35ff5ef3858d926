-- What of its owner's client environment a schedule's runs use (DESIGN §18 "Schedules"): a JSON object holding
-- LATHE_NETWORK and LATHE_CONFIG as they were at `lathe schedule add` (never a key); NULL: the server's own.
-- V014, not V013: issue 57's team store takes V013 in the same round.
ALTER TABLE schedule ADD COLUMN environment TEXT;
