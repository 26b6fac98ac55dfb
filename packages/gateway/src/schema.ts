import type { Database } from './db.js';

/**
 * Schema migrations, applied in order at start, each in its own transaction, under an advisory lock
 * so that several instances starting together on one PostgreSQL server do not race. Append only.
 * Money is int8 VND; instants are timestamptz.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE payments (
    id text PRIMARY KEY,
    code text NOT NULL UNIQUE,
    dossier text NOT NULL,
    counter text NOT NULL,
    procedure text,
    officer text,
    purpose text NOT NULL,
    amount int8 NOT NULL CHECK (amount > 0),
    amount_paid int8 NOT NULL DEFAULT 0,
    status text NOT NULL CHECK (status IN ('pending','paid','underpaid','expired','cancelled')),
    qr text NOT NULL,
    bank_bin text NOT NULL,
    bank_account text NOT NULL,
    bank_account_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    paid_at timestamptz,
    version int4 NOT NULL DEFAULT 1
  );
  -- One open payment per dossier: POST /api/payments is idempotent per dossier while pending.
  CREATE UNIQUE INDEX payments_open_dossier ON payments (dossier) WHERE status IN ('pending','underpaid');
  CREATE INDEX payments_expiry ON payments (expires_at) WHERE status IN ('pending','underpaid');
  CREATE INDEX payments_created ON payments (created_at);

  CREATE TABLE bank_transactions (
    id bigserial PRIMARY KEY,
    provider text NOT NULL,
    provider_tx_id text NOT NULL,
    amount int8 NOT NULL,
    memo text NOT NULL,
    bank_reference text,
    payment_id text REFERENCES payments(id),
    -- matched: counted towards the payment; unmatched: no code found or the payment was closed.
    status text NOT NULL CHECK (status IN ('matched','unmatched')),
    reason text,
    surplus int8 NOT NULL DEFAULT 0,
    received_at timestamptz NOT NULL DEFAULT now(),
    raw jsonb NOT NULL,
    UNIQUE (provider, provider_tx_id)
  );
  CREATE INDEX bank_transactions_received ON bank_transactions (received_at);
  CREATE INDEX bank_transactions_payment ON bank_transactions (payment_id);

  CREATE TABLE counter_states (
    counter text PRIMARY KEY,
    state jsonb NOT NULL,
    payment_id text,
    survey_token_id text,
    reset_at timestamptz,
    version int4 NOT NULL
  );
  CREATE INDEX counter_states_reset ON counter_states (reset_at) WHERE reset_at IS NOT NULL;

  -- Ratings: no personal data of the citizen (no IP, no contact, no device); the dossier code is the
  -- service's own data and enforces one rating per dossier.
  CREATE TABLE ratings (
    id text PRIMARY KEY,
    survey_id text NOT NULL,
    counter text NOT NULL,
    officer text,
    procedure text,
    dossier text,
    token_id text UNIQUE,
    answers jsonb NOT NULL,
    comment text,
    locale text NOT NULL,
    submitted_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE UNIQUE INDEX ratings_dossier ON ratings (dossier) WHERE dossier IS NOT NULL;
  CREATE INDEX ratings_created ON ratings (created_at);

  CREATE TABLE idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    body_hash text NOT NULL,
    status int4 NOT NULL,
    response jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
  );
  `,
  `
  -- Short survey tokens (22 characters, so the phone QR stays small): the claims a token vouches for,
  -- keyed by the token's SHA-256 (base64url) — never by the token itself. Used once: ratings.token_id.
  CREATE TABLE survey_tokens (
    id text PRIMARY KEY,
    counter text NOT NULL,
    dossier text,
    officer text,
    procedure text,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX survey_tokens_expiry ON survey_tokens (expires_at);
  `,
  `
  -- Money rules: every authentic notification is kept as received, and whatever cannot count says why.
  -- rejected: authentic but not incoming VND money that can be read (amount 0 in every total).
  -- duplicate: a second provider's report of a transfer already recorded (duplicate_of), counted nowhere.
  ALTER TABLE bank_transactions DROP CONSTRAINT bank_transactions_status_check;
  ALTER TABLE bank_transactions ADD CONSTRAINT bank_transactions_status_check CHECK (status IN ('matched','unmatched','rejected','duplicate'));
  -- The destination account the provider reported (NULL for rows older than this migration).
  ALTER TABLE bank_transactions ADD COLUMN account text;
  -- Every authentic notification's body byte for byte, once (JSON with NUL or lone surrogates cannot go
  -- into jsonb or text), and which one each transaction came from (a Casso batch: several rows, one body).
  CREATE TABLE bank_notifications (
    sha256 text PRIMARY KEY,
    provider text NOT NULL,
    body bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE bank_transactions ADD COLUMN notification_sha256 text;
  ALTER TABLE bank_transactions ADD COLUMN duplicate_of int8 REFERENCES bank_transactions(id);
  CREATE INDEX bank_transactions_reference ON bank_transactions (bank_reference) WHERE bank_reference IS NOT NULL;
  `,
];

export async function migrate(db: Database): Promise<void> {
  for (let index = 0; index < MIGRATIONS.length; index++) {
    const version = index + 1;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7311001)');
      await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int4 PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (done.length) return;
      for (const statement of splitStatements(MIGRATIONS[index]!)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    });
  }
}

/** Extended-protocol queries take one statement each; the migrations contain no `;` inside literals. */
const splitStatements = (sql: string): string[] =>
  sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
