-- Integrity (both databases, the same statements):
-- one open order per account is a constraint, not only a check before an insert;
-- a document is bound to the order it was uploaded for (or that first submitted it), and an
-- order's documents are found by that binding.
CREATE UNIQUE INDEX orders_one_open_per_account ON orders (account_id)
    WHERE status NOT IN ('approved', 'withdrawn', 'abandoned', 'expired');

CREATE INDEX documents_by_order ON documents (order_id);
CREATE INDEX service_codes_by_order ON service_codes (used_by_order);
