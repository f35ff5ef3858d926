-- A team message's delivery into each recipient's session (DESIGN §18 "Agent teams", issue 57): written with the
-- message in one transaction, and marked delivered in the same transaction that appends the message to the
-- recipient's history, so a message is delivered exactly once whichever node (or restart) delivers it. A row left
-- undelivered (a node died between the two) is delivered at the next start or take-over.
CREATE TABLE IF NOT EXISTS team_delivery (
  message_id   TEXT NOT NULL REFERENCES team_message(id) ON DELETE CASCADE,
  recipient_id TEXT NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (message_id, recipient_id)
);
CREATE INDEX IF NOT EXISTS team_delivery_waiting ON team_delivery(message_id) WHERE delivered_at IS NULL;
