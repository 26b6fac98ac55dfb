import type { Database } from './db.js';

/** Where a migration names the implicit unit (the rows it adopts): replaced by the configured id, quoted. */
const IMPLICIT_UNIT = ':implicit_unit';

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
  `
  -- Webhooks (webhooks.ts). The outbox: each event once, written in the transaction of the change it
  -- reports; body is the exact JSON signed and sent. seq (the /api/events cursor) is given to committed
  -- rows only, in commit order; id orders one payment's events (they are written under its row lock).
  CREATE SEQUENCE webhook_events_seq;
  CREATE TABLE webhook_events (
    id bigserial PRIMARY KEY,
    event_id text NOT NULL UNIQUE,
    type text NOT NULL,
    unit text NOT NULL,
    payment_id text,
    body text NOT NULL,
    seq int8 UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX webhook_events_unsequenced ON webhook_events (id) WHERE seq IS NULL;
  CREATE INDEX webhook_events_unit_seq ON webhook_events (unit, seq);
  -- Each unit's endpoints as configured (the secrets stay in the configuration).
  CREATE TABLE webhook_endpoints (
    unit text NOT NULL,
    url text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    PRIMARY KEY (unit, url)
  );
  -- One event to one endpoint; leased_until: claimed by an instance that is trying it.
  CREATE TABLE webhook_deliveries (
    id bigserial PRIMARY KEY,
    event int8 NOT NULL REFERENCES webhook_events(id),
    event_id text NOT NULL,
    type text NOT NULL,
    unit text NOT NULL,
    url text NOT NULL,
    payment_id text,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
    attempts int4 NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (event) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_payment ON webhook_deliveries (payment_id, event) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_unit ON webhook_deliveries (unit, id);
  -- Every try: the receiver's status (NULL: no answer), how long it took, what went wrong.
  CREATE TABLE webhook_attempts (
    id bigserial PRIMARY KEY,
    delivery int8 NOT NULL REFERENCES webhook_deliveries(id),
    status int4,
    duration_ms int4 NOT NULL,
    error text,
    attempted_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery);
  `,
  `
  -- The officer's exceptions desk (exceptions.ts): every hand-made change of money, audited — who (the
  -- officer named in the request and the API key's fingerprint, never the key), when (the database's
  -- clock), why (a required reason). A reversal is a row of its own; the row it reverses names it.
  CREATE TABLE payment_adjustments (
    id text PRIMARY KEY,
    -- attach: a transfer applied to a payment by hand; cash: a payment paid at the counter (receipt);
    -- refund: money owed back returned to the citizen (bank reference, date); reversal: undoes one of them.
    kind text NOT NULL CHECK (kind IN ('attach','cash','refund','reversal')),
    payment_id text REFERENCES payments(id),
    transaction_id int8 REFERENCES bank_transactions(id),
    amount int8 NOT NULL CHECK (amount >= 0),
    reference text,
    refund_date date,
    -- attach: what the transfer was before (status, reason, payment), so a reversal puts it back.
    previous jsonb,
    officer text NOT NULL,
    api_key text NOT NULL,
    reason text NOT NULL,
    reverses text UNIQUE REFERENCES payment_adjustments(id),
    reversed_by text REFERENCES payment_adjustments(id),
    created_at timestamptz NOT NULL DEFAULT now()
  );
  -- A transfer is attached to one payment at a time and refunded once; a payment is paid in cash once.
  CREATE UNIQUE INDEX payment_adjustments_one_attach ON payment_adjustments (transaction_id) WHERE kind = 'attach' AND reversed_by IS NULL;
  CREATE UNIQUE INDEX payment_adjustments_one_refund ON payment_adjustments (transaction_id) WHERE kind = 'refund' AND reversed_by IS NULL;
  CREATE UNIQUE INDEX payment_adjustments_one_cash ON payment_adjustments (payment_id) WHERE kind = 'cash' AND reversed_by IS NULL;
  CREATE INDEX payment_adjustments_payment ON payment_adjustments (payment_id);
  CREATE INDEX payment_adjustments_created ON payment_adjustments (created_at);
  ALTER TABLE payments ADD CONSTRAINT payments_amount_paid_check CHECK (amount_paid >= 0);
  -- Results delivered by post: the payment lives for weeks and its expiry is the due date on the slip.
  ALTER TABLE payments ADD COLUMN delivery text NOT NULL DEFAULT 'counter' CHECK (delivery IN ('counter','postal'));
  `,
  `
  -- Units (units.ts): every row belongs to one; rows written before belong to the implicit unit
  -- (${IMPLICIT_UNIT}, replaced by the configured MOTCUA_UNIT_ID). The defaults are dropped at once: the
  -- code always names the unit.
  ALTER TABLE payments ADD COLUMN unit text NOT NULL DEFAULT ${IMPLICIT_UNIT};
  ALTER TABLE payments ALTER COLUMN unit DROP DEFAULT;
  DROP INDEX payments_open_dossier;
  CREATE UNIQUE INDEX payments_open_dossier ON payments (unit, dossier) WHERE status IN ('pending','underpaid');
  CREATE INDEX payments_unit_created ON payments (unit, created_at);
  -- The unit whose collection account received the transfer; NULL: an account of no unit.
  ALTER TABLE bank_transactions ADD COLUMN unit text;
  UPDATE bank_transactions SET unit = ${IMPLICIT_UNIT};
  CREATE INDEX bank_transactions_unit_received ON bank_transactions (unit, received_at);
  -- Counter ids are the unit's own: two units may both have C1.
  ALTER TABLE counter_states ADD COLUMN unit text NOT NULL DEFAULT ${IMPLICIT_UNIT};
  ALTER TABLE counter_states ALTER COLUMN unit DROP DEFAULT;
  ALTER TABLE counter_states DROP CONSTRAINT counter_states_pkey;
  ALTER TABLE counter_states ADD PRIMARY KEY (unit, counter);
  ALTER TABLE survey_tokens ADD COLUMN unit text NOT NULL DEFAULT ${IMPLICIT_UNIT};
  ALTER TABLE survey_tokens ALTER COLUMN unit DROP DEFAULT;
  ALTER TABLE ratings ADD COLUMN unit text NOT NULL DEFAULT ${IMPLICIT_UNIT};
  ALTER TABLE ratings ALTER COLUMN unit DROP DEFAULT;
  DROP INDEX ratings_dossier;
  CREATE UNIQUE INDEX ratings_dossier ON ratings (unit, dossier) WHERE dossier IS NOT NULL;
  CREATE INDEX ratings_unit_created ON ratings (unit, created_at);
  ALTER TABLE payment_adjustments ADD COLUMN unit text NOT NULL DEFAULT ${IMPLICIT_UNIT};
  ALTER TABLE payment_adjustments ALTER COLUMN unit DROP DEFAULT;
  -- Retention (webhooks.ts): delivered events are deleted oldest first.
  CREATE INDEX webhook_events_created ON webhook_events (created_at);
  `,
];

/**
 * Applies what is missing. `implicitUnit`: the unit the rows of a database written before units
 * belong to (`MOTCUA_UNIT_ID`, default `default`). `through`: stop after that version (tests build
 * the database an older gateway left).
 */
export async function migrate(db: Database, implicitUnit = 'default', through = MIGRATIONS.length): Promise<void> {
  const unitLiteral = `'${implicitUnit.replaceAll("'", "''")}'`;
  for (let index = 0; index < Math.min(through, MIGRATIONS.length); index++) {
    const version = index + 1;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7311001)');
      await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int4 PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (done.length) return;
      for (const statement of splitStatements(MIGRATIONS[index]!)) await tx.query(statement.replaceAll(IMPLICIT_UNIT, unitLiteral));
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
