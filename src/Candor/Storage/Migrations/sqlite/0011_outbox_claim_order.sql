-- A claim takes the due messages in the order they go out (responders' channels first, then oldest first). This
-- index holds only the rows still to deliver, in that order, so that a claim reads the few rows it takes instead
-- of sorting every due row, which during a fan-out to thousands is the whole backlog at every claim.
CREATE INDEX outbox_claim ON outbox (priority, id) WHERE state IN ('pending', 'sending');
