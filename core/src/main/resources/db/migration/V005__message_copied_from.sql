-- a fork's copy of a message names the first original it copies (through forks of forks), so stats count each answer
-- once: the original while it exists, else the oldest surviving copy. NULL for every message that is not a copy
ALTER TABLE message ADD COLUMN copied_from TEXT;
CREATE INDEX message_copied_from ON message(copied_from) WHERE copied_from IS NOT NULL;
