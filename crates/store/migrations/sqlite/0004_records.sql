-- The filing record after approval (PostgreSQL's 0004 has the same statements).

-- The subject principal of the record (the subject and its websites are there already; a
-- website now holds its answers, its own number and its state).
ALTER TABLE filings ADD COLUMN principal TEXT NOT NULL DEFAULT '{}';

-- The record an order works on: the one it made, or the one a change, a cancellation, an
-- addition or a transfer started from.
ALTER TABLE orders ADD COLUMN filing_id TEXT REFERENCES filings(id);
UPDATE orders SET filing_id = (SELECT f.id FROM filings f WHERE f.order_id = orders.id);

-- The record's history: every approved order that made or changed it, with what it changed.
CREATE TABLE filing_events (
    id        TEXT PRIMARY KEY,
    filing_id TEXT NOT NULL REFERENCES filings(id),
    order_id  TEXT NOT NULL REFERENCES orders(id),
    path      TEXT NOT NULL,
    detail    TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX filing_events_by_filing ON filing_events (filing_id, at);
INSERT INTO filing_events (id, filing_id, order_id, path, detail, at)
    SELECT f.id || '-0', f.id, f.order_id, o.path, '{}', f.created_at FROM filings f JOIN orders o ON o.id = f.order_id;
