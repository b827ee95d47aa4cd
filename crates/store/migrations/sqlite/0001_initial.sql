-- Beian's schema. Portable SQL: TEXT ids and timestamps (RFC 3339), no SQLite-only types,
-- so that PostgreSQL can follow with the same statements.

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('applicant', 'reviewer')),
    created_at    TEXT NOT NULL
);

-- One account holds one filing subject.
CREATE TABLE subjects (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL UNIQUE REFERENCES accounts(id),
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE instances (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT REFERENCES accounts(id),
    product            TEXT NOT NULL,
    region             TEXT NOT NULL,
    billing            TEXT NOT NULL,
    subscription_start TEXT NOT NULL,
    subscription_end   TEXT,
    public_bandwidth_mbps INTEGER NOT NULL,
    public_ip          TEXT,
    created_at         TEXT NOT NULL
);

-- Single use, never returned: a code is only ever inserted and marked used.
CREATE TABLE service_codes (
    code         TEXT PRIMARY KEY,
    instance_id  TEXT NOT NULL REFERENCES instances(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    issued_at    TEXT NOT NULL,
    used_by_order TEXT,
    used_at      TEXT
);

CREATE TABLE orders (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    path        TEXT NOT NULL,
    province    TEXT,
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Every saved version of an order's answers, with the problems found at that save.
CREATE TABLE order_versions (
    order_id    TEXT NOT NULL REFERENCES orders(id),
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    problems    TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (order_id, version)
);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    order_id    TEXT REFERENCES orders(id),
    kind        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    order_id    TEXT,
    account_id  TEXT,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT,
    at          TEXT NOT NULL
);
