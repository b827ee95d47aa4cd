-- The order lifecycle (PostgreSQL's 0003 has the same statements, with BIGINT for INTEGER).

-- The order's history: every transition, in order, with who took it and what it carried
-- (reasons, ICP numbers, the SMS deadline).
CREATE TABLE order_events (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    account_id  TEXT,
    version     INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, at);

-- The reasons of the last rejection (shown on their fields until the next submission), and
-- the last submission.
ALTER TABLE orders ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE orders ADD COLUMN submitted_at TEXT;
ALTER TABLE orders ADD COLUMN submitted_version INTEGER;

-- What the applicant provided for identity verification (a backdrop photo, or a recorded
-- confirmation of face or app verification).
CREATE TABLE identity_evidence (
    order_id    TEXT PRIMARY KEY REFERENCES orders(id),
    kind        TEXT NOT NULL,
    document_id TEXT REFERENCES documents(id),
    provided_at TEXT NOT NULL
);

-- The administration: the submission, the MIIT's SMS with its deadline, when a decision is
-- due (the simulator's state, or what a reviewer recorded).
CREATE TABLE authority_submissions (
    order_id        TEXT PRIMARY KEY REFERENCES orders(id),
    submitted_at    TEXT NOT NULL,
    sms_code        TEXT,
    sms_deadline    TEXT,
    sms_verified_at TEXT,
    decide_after    TEXT
);

-- What the administration approved: the filing record, with its ICP numbers.
CREATE TABLE filings (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    order_id    TEXT NOT NULL REFERENCES orders(id),
    province    TEXT NOT NULL,
    icp_number  TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,
    websites    TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX filings_by_account ON filings (account_id);

-- The next serial of the simulated administration's numbers, per province and year.
CREATE TABLE icp_serials (
    province TEXT NOT NULL,
    year     INTEGER NOT NULL,
    next     INTEGER NOT NULL,
    PRIMARY KEY (province, year)
);

-- What the applicant must act on: a notice in the app, and a message to send by e-mail.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    order_id   TEXT REFERENCES orders(id),
    kind       TEXT NOT NULL,
    at         TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_by_account ON notifications (account_id, at);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    kind       TEXT NOT NULL,
    order_id   TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, created_at);
