import type { PaymentBank } from '@motcua/core';
import { checkUnits, loadUnitsFile, type Unit, type Units } from './units.js';
import { DEFAULT_UNIT, DEFAULT_WEBHOOK_RETRY, parseWebhookEndpoints, type WebhookEndpoint, type WebhookRetry } from './webhooks.js';

/** Shared secrets of the bank-notification providers. A provider without its secret is refused (401). */
export interface ProviderSecrets {
  /** Generic webhook: HMAC-SHA256 key over the raw body (`X-Signature: sha256=<hex>`). */
  hmacSecret?: string;
  /** SePay: the API key SePay sends as `Authorization: Apikey <key>`. */
  sepayApiKey?: string;
  /** Casso: the secure token Casso sends in the `Secure-Token` header. */
  cassoSecureToken?: string;
  /** payOS: checksum key for the `signature` over the sorted `key=value` pairs of `data`. */
  payosChecksumKey?: string;
}

/** Everything the gateway needs; {@link configFromEnv} builds it from environment variables. */
export interface GatewayConfig {
  /** TCP port (0 picks a free one). Default 8080. */
  port: number;
  /** Interface to bind. Default 127.0.0.1. */
  host: string;
  /** `postgres://…` to use a PostgreSQL server; unset → embedded PGlite in {@link dataDir}. */
  databaseUrl?: string;
  /** PGlite data folder, or `memory://` (tests). Default `.data/pglite`. */
  dataDir: string;
  /** Pool size when {@link databaseUrl} is set. Default 10. */
  databasePoolSize: number;
  /** Keys accepted from portal backends (`Authorization: Bearer <key>` or `X-Api-Key`). */
  apiKeys: string[];
  /**
   * The district's collection account every QR points to. Required (`MOTCUA_BANK_BIN`,
   * `MOTCUA_BANK_ACCOUNT`, `MOTCUA_BANK_ACCOUNT_NAME`) unless {@link devBank} is on: the default is a
   * demo account, and the gateway refuses to start on it outside dev mode.
   */
  collectionAccount: PaymentBank;
  providers: ProviderSecrets;
  /**
   * Only to accept survey tokens of the former signed form (`<claims>.<HMAC>`, issued before the 22-character tokens)
   * until they expire: the HMAC key they were signed with. Tokens issued now are random and stored, so
   * they need no secret. Empty (the default): signed tokens are refused (401 `INVALID_TOKEN`).
   */
  surveyTokenSecret: string;
  /** Portal origins allowed by CORS on the public endpoints (`*` for any). */
  corsOrigins: string[];
  /**
   * Dev mode: enables `POST /dev/bank/transfer` (the simulated bank) and allows the demo collection
   * account. Never in production.
   */
  devBank: boolean;
  /** Absolute base URL of this gateway as browsers see it (used in survey phone links). Relative links when unset. */
  publicBaseUrl?: string;
  /** Counter id → display name shown on the citizen screen. */
  counters?: Record<string, string>;
  /**
   * Counter id → the key of its paired citizen screen (`MOTCUA_SCREEN_KEYS=C1=<key>,C2=<key>`; 16–200
   * URL-safe characters). Only a screen presenting its counter's key receives the rating prompt (the
   * one-time token); everyone else reads the counter without it. A counter without a key offers no
   * rating on its screen.
   */
  screenKeys?: Record<string, string>;
  /** Folder served for non-API paths (demo pages). */
  staticRoot?: string;
  /** Default payment lifetime, seconds. Default 900 (15 minutes). */
  paymentTtlSeconds: number;
  /**
   * Lifetime of a payment for postal delivery (`delivery: "postal"`: the slip with its QR goes with the
   * results by post), seconds; its `expiresAt` is the due date. Default 2592000 (30 days).
   */
  postalPaymentTtlSeconds: number;
  /**
   * Seconds after `expiresAt` during which a matching transfer still pays the fee (the citizen scanned
   * in time; banks are slow); the payment turns `expired` when they end. Default 600 (10 minutes).
   */
  expiryGraceSeconds: number;
  /** How long a one-time survey token stays valid, seconds. Default 86400. */
  surveyTokenTtlSeconds: number;
  /**
   * Seconds after a survey token's expiry during which a rating made while it was valid (its
   * `submittedAt` before the expiry) is still accepted — one queued offline through an outage. Default 604800 (7 days).
   */
  surveyLateWindowSeconds: number;
  /** How long the citizen screen shows the survey prompt before going idle, ms. Default 120000. */
  surveyScreenMs: number;
  /** How long every citizen screen of the counter shows "paid" before the rating, ms (0: the rating at once). Default 4000. */
  paidScreenMs: number;
  /** How long the screen keeps showing an expired payment before going idle, ms. Default 60000. */
  expiredScreenMs: number;
  /** SSE heartbeat comment interval, ms. Default 15000. */
  heartbeatMs: number;
  /** SSE `retry:` value sent to clients, ms. Default 3000. */
  sseRetryMs: number;
  /** How often expired payments and timed-out screens are swept, ms. Default 1000. */
  sweepIntervalMs: number;
  /** Requests per minute per client IP on public endpoints (0 = no limit). Default 600. */
  rateLimitPerMinute: number;
  /** Survey submissions per minute per client IP (0 = no limit). Default 30. */
  surveyRateLimitPerMinute: number;
  /** Largest accepted request body, bytes. Default 65536. */
  maxBodyBytes: number;
  /**
   * Reverse proxies in front of the gateway whose `X-Forwarded-For` entries are trusted: a count of
   * hops (`true` = 1, `false` = 0). The client IP is the entry that many places from the right (what
   * the nearest trusted proxy received the request from), never a client-written one. Default false.
   */
  trustProxy: boolean | number;
  /** `debug` | `info` | `warn` | `error` | `silent`. Default `info`. */
  logLevel: LogLevel;
  /** PostgreSQL: longest wait for a connection, ms (then 503 + Retry-After). Default 5000. */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL: longest a statement may run, ms (server `statement_timeout`; the client gives up 1 s later). `/healthz` answers 503 past it. Default 5000. */
  databaseStatementTimeoutMs: number;
  /** Longest time a client may take to send the request headers, ms (then 408). Default 10000. */
  headersTimeoutMs: number;
  /** Longest time a client may take to send the whole request, body included, ms (then 408; not the event streams' responses). Default 30000. */
  requestTimeoutMs: number;
  /** Event streams open at once per client address (0 = no limit); beyond, 429. Default 200. */
  maxStreamsPerAddress: number;
  /** Bank notifications per minute per client address (0 = no limit); beyond, 429 + Retry-After (providers retry). Default 1200. */
  notificationRateLimitPerMinute: number;
  /** The id of the implicit single unit: the `unit` of every webhook event (`MOTCUA_UNIT_ID`). Default `default`. */
  unitId: string;
  /** Where the unit's events are posted, signed (`MOTCUA_WEBHOOKS`, JSON `[{"url": "…", "secret": "…"}]`). Default none. */
  webhooks: WebhookEndpoint[];
  /** Longest wait for a webhook receiver's answer, ms (`MOTCUA_WEBHOOK_TIMEOUT_MS`). Default 10000. */
  webhookTimeoutMs: number;
  /** The webhook retry schedule: first retry within 5 s, doubling up to an hour, given up 3 days after the event. */
  webhookRetry: WebhookRetry;
  /** How often each instance looks at the outbox when no local change woke it, ms. Default 1000. */
  webhookPollMs: number;
  /**
   * Days a delivered webhook event (with its deliveries and tries) is kept, then deleted by the sweep
   * (`MOTCUA_WEBHOOK_RETENTION_DAYS`); events not yet delivered everywhere are kept. Default 30.
   */
  webhookRetentionDays: number;
  /**
   * The units of a province deployment (`MOTCUA_CONFIG`, a JSON file: see docs/province.md). When set,
   * the single-unit fields (`unitId`, `collectionAccount`, `counters`, `apiKeys`, `screenKeys`,
   * `webhooks`) are not used. Unset: those fields are one implicit unit.
   */
  units?: Unit[];
  /** Keys that read every unit's reports and create nothing (the `provinceKeys` of `MOTCUA_CONFIG`). */
  provinceKeys?: string[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The demo's collection account: the default, refused outside dev mode (nobody's real money may go there). */
export const DEMO_COLLECTION_ACCOUNT: Readonly<PaymentBank> = Object.freeze({ bin: '970415', account: '113366668888', accountName: 'UBND PHUONG DEMO' });

export const DEFAULT_CONFIG: GatewayConfig = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: '.data/pglite',
  databasePoolSize: 10,
  apiKeys: [],
  collectionAccount: { ...DEMO_COLLECTION_ACCOUNT },
  providers: {},
  surveyTokenSecret: '',
  corsOrigins: [],
  devBank: false,
  paymentTtlSeconds: 900,
  postalPaymentTtlSeconds: 30 * 86_400,
  expiryGraceSeconds: 600,
  surveyTokenTtlSeconds: 86_400,
  surveyLateWindowSeconds: 604_800,
  surveyScreenMs: 120_000,
  paidScreenMs: 4_000,
  expiredScreenMs: 60_000,
  heartbeatMs: 15_000,
  sseRetryMs: 3_000,
  sweepIntervalMs: 1_000,
  rateLimitPerMinute: 600,
  surveyRateLimitPerMinute: 30,
  maxBodyBytes: 65_536,
  trustProxy: false,
  logLevel: 'info',
  databaseConnectTimeoutMs: 5_000,
  databaseStatementTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxStreamsPerAddress: 200,
  notificationRateLimitPerMinute: 1_200,
  unitId: DEFAULT_UNIT,
  webhooks: [],
  webhookTimeoutMs: 10_000,
  webhookRetry: { ...DEFAULT_WEBHOOK_RETRY },
  webhookPollMs: 1_000,
  webhookRetentionDays: 30,
};

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);

const int = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
};

const bool = (value: string | undefined): boolean | undefined => (value === undefined || value === '' ? undefined : /^(1|true|yes|on)$/i.test(value));

/** `MOTCUA_TRUST_PROXY`: `true`/`yes`/`on` = one proxy, `false`/`no`/`off` = none, or a number of hops. */
const proxyHops = (value: string | undefined): boolean | number | undefined =>
  value !== undefined && /^\d+$/.test(value.trim()) ? int('MOTCUA_TRUST_PROXY', value.trim()) : bool(value);

/** `C1=Quầy 1,C2=Quầy 2` → `{C1: 'Quầy 1', C2: 'Quầy 2'}` (counter names, and screen keys alike). */
const counterNames = (value: string | undefined): Record<string, string> | undefined => {
  if (!value) return undefined;
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const [id = '', ...name] = pair.split('=');
      return [id.trim(), name.join('=').trim() || id.trim()];
    }),
  );
};

/**
 * Reads the configuration from environment variables (see the README's table); anything unset keeps
 * its default.
 *
 * @example
 * const gateway = await startGateway(configFromEnv());
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const defined = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  const level = env.MOTCUA_LOG_LEVEL as LogLevel | undefined;
  // First: beside MOTCUA_CONFIG, the single-unit variables are refused before anything reads them.
  const units = unitsFromEnv(env);
  return {
    ...DEFAULT_CONFIG,
    ...defined({
      port: int('PORT', env.PORT ?? env.MOTCUA_PORT),
      host: env.HOST ?? env.MOTCUA_HOST,
      databaseUrl: env.DATABASE_URL || undefined,
      dataDir: env.MOTCUA_DATA_DIR,
      databasePoolSize: int('MOTCUA_DB_POOL_SIZE', env.MOTCUA_DB_POOL_SIZE),
      apiKeys: list(env.MOTCUA_API_KEYS),
      providers: defined({
        hmacSecret: env.MOTCUA_WEBHOOK_SECRET,
        sepayApiKey: env.MOTCUA_SEPAY_API_KEY,
        cassoSecureToken: env.MOTCUA_CASSO_SECURE_TOKEN,
        payosChecksumKey: env.MOTCUA_PAYOS_CHECKSUM_KEY,
      }),
      surveyTokenSecret: env.MOTCUA_SURVEY_TOKEN_SECRET,
      corsOrigins: list(env.MOTCUA_CORS_ORIGINS),
      devBank: bool(env.MOTCUA_DEV_BANK),
      publicBaseUrl: env.MOTCUA_PUBLIC_BASE_URL || undefined,
      counters: counterNames(env.MOTCUA_COUNTERS),
      screenKeys: counterNames(env.MOTCUA_SCREEN_KEYS),
      staticRoot: env.MOTCUA_STATIC_ROOT || undefined,
      paymentTtlSeconds: int('MOTCUA_PAYMENT_TTL_SECONDS', env.MOTCUA_PAYMENT_TTL_SECONDS),
      postalPaymentTtlSeconds: int('MOTCUA_POSTAL_PAYMENT_TTL_SECONDS', env.MOTCUA_POSTAL_PAYMENT_TTL_SECONDS),
      expiryGraceSeconds: int('MOTCUA_EXPIRY_GRACE_SECONDS', env.MOTCUA_EXPIRY_GRACE_SECONDS),
      surveyTokenTtlSeconds: int('MOTCUA_SURVEY_TOKEN_TTL_SECONDS', env.MOTCUA_SURVEY_TOKEN_TTL_SECONDS),
      surveyLateWindowSeconds: int('MOTCUA_SURVEY_LATE_WINDOW_SECONDS', env.MOTCUA_SURVEY_LATE_WINDOW_SECONDS),
      surveyScreenMs: int('MOTCUA_SURVEY_SCREEN_MS', env.MOTCUA_SURVEY_SCREEN_MS),
      paidScreenMs: int('MOTCUA_PAID_SCREEN_MS', env.MOTCUA_PAID_SCREEN_MS),
      expiredScreenMs: int('MOTCUA_EXPIRED_SCREEN_MS', env.MOTCUA_EXPIRED_SCREEN_MS),
      heartbeatMs: int('MOTCUA_HEARTBEAT_MS', env.MOTCUA_HEARTBEAT_MS),
      sseRetryMs: int('MOTCUA_SSE_RETRY_MS', env.MOTCUA_SSE_RETRY_MS),
      sweepIntervalMs: int('MOTCUA_SWEEP_INTERVAL_MS', env.MOTCUA_SWEEP_INTERVAL_MS),
      rateLimitPerMinute: int('MOTCUA_RATE_LIMIT_PER_MINUTE', env.MOTCUA_RATE_LIMIT_PER_MINUTE),
      surveyRateLimitPerMinute: int('MOTCUA_SURVEY_RATE_LIMIT_PER_MINUTE', env.MOTCUA_SURVEY_RATE_LIMIT_PER_MINUTE),
      maxBodyBytes: int('MOTCUA_MAX_BODY_BYTES', env.MOTCUA_MAX_BODY_BYTES),
      trustProxy: proxyHops(env.MOTCUA_TRUST_PROXY),
      logLevel: level,
      databaseConnectTimeoutMs: int('MOTCUA_DB_CONNECT_TIMEOUT_MS', env.MOTCUA_DB_CONNECT_TIMEOUT_MS),
      databaseStatementTimeoutMs: int('MOTCUA_DB_STATEMENT_TIMEOUT_MS', env.MOTCUA_DB_STATEMENT_TIMEOUT_MS),
      headersTimeoutMs: int('MOTCUA_HEADERS_TIMEOUT_MS', env.MOTCUA_HEADERS_TIMEOUT_MS),
      requestTimeoutMs: int('MOTCUA_REQUEST_TIMEOUT_MS', env.MOTCUA_REQUEST_TIMEOUT_MS),
      maxStreamsPerAddress: int('MOTCUA_MAX_STREAMS_PER_ADDRESS', env.MOTCUA_MAX_STREAMS_PER_ADDRESS),
      notificationRateLimitPerMinute: int('MOTCUA_NOTIFICATION_RATE_LIMIT_PER_MINUTE', env.MOTCUA_NOTIFICATION_RATE_LIMIT_PER_MINUTE),
      unitId: env.MOTCUA_UNIT_ID || undefined,
      webhooks: env.MOTCUA_WEBHOOKS ? parseWebhookEndpoints('MOTCUA_WEBHOOKS', env.MOTCUA_WEBHOOKS) : undefined,
      webhookTimeoutMs: int('MOTCUA_WEBHOOK_TIMEOUT_MS', env.MOTCUA_WEBHOOK_TIMEOUT_MS),
      webhookRetentionDays: int('MOTCUA_WEBHOOK_RETENTION_DAYS', env.MOTCUA_WEBHOOK_RETENTION_DAYS),
    }),
    collectionAccount: collectionAccountFromEnv(env),
    ...units,
  };
}

/** What `MOTCUA_CONFIG` replaces: set together with it, they would be silently ignored, so they are refused. */
const UNIT_VARIABLES = [
  'MOTCUA_UNIT_ID',
  'MOTCUA_BANK_BIN',
  'MOTCUA_BANK_ACCOUNT',
  'MOTCUA_BANK_ACCOUNT_NAME',
  'MOTCUA_API_KEYS',
  'MOTCUA_COUNTERS',
  'MOTCUA_SCREEN_KEYS',
  'MOTCUA_WEBHOOKS',
] as const;

function unitsFromEnv(env: NodeJS.ProcessEnv): Partial<Units> {
  if (!env.MOTCUA_CONFIG) return {};
  const both = UNIT_VARIABLES.filter((name) => env[name]);
  if (both.length) throw new Error(`${both.join(', ')} must not be set with MOTCUA_CONFIG: each unit's settings are in the file.`);
  return loadUnitsFile(env.MOTCUA_CONFIG);
}

/**
 * The deployment's units: `config.units` (a province), or the single-unit fields as one implicit unit
 * (`unitId`, default `default`). Checked as a units file is (`units[0].apiKeys[1] is also …`).
 */
export function unitsOf(config: GatewayConfig): Units {
  const units: Units = config.units?.length
    ? { units: config.units, provinceKeys: config.provinceKeys ?? [] }
    : {
        units: [
          {
            id: config.unitId,
            name: config.unitId,
            account: config.collectionAccount,
            counters: config.counters ?? {},
            anyCounter: true,
            apiKeys: config.apiKeys,
            screenKeys: config.screenKeys ?? {},
            webhooks: parseWebhookEndpoints('webhooks', config.webhooks),
          },
        ],
        provinceKeys: config.provinceKeys ?? [],
      };
  checkUnits(units, 'config');
  return units;
}

const BANK_VARIABLES = { bin: 'MOTCUA_BANK_BIN', account: 'MOTCUA_BANK_ACCOUNT', accountName: 'MOTCUA_BANK_ACCOUNT_NAME' } as const;

/** All three `MOTCUA_BANK_*` or none (the demo account, which only dev mode accepts): never half of each. */
function collectionAccountFromEnv(env: NodeJS.ProcessEnv): PaymentBank {
  const given = Object.values(BANK_VARIABLES).filter((name) => env[name]);
  if (!given.length) return { ...DEMO_COLLECTION_ACCOUNT };
  const missing = Object.values(BANK_VARIABLES).filter((name) => !env[name]);
  if (missing.length) throw new Error(`${missing.join(', ')} must be set with ${given.join(', ')}: the collection account is all three or none.`);
  return { bin: env.MOTCUA_BANK_BIN!, account: env.MOTCUA_BANK_ACCOUNT!, accountName: env.MOTCUA_BANK_ACCOUNT_NAME! };
}

/**
 * Refuses a configuration that would take real citizens' money into the demo account: outside dev
 * mode ({@link GatewayConfig.devBank}) a collection account of one's own is required.
 */
export function checkCollectionAccount(config: Pick<GatewayConfig, 'devBank'>, units: readonly Pick<Unit, 'id' | 'account'>[]): void {
  const demo = units.find(({ account }) => account.bin === DEMO_COLLECTION_ACCOUNT.bin && account.account === DEMO_COLLECTION_ACCOUNT.account);
  if (config.devBank || !demo) return;
  if (units.length > 1) throw new Error(`Unit ${demo.id} collects into the demo account; it is accepted only in dev mode (MOTCUA_DEV_BANK=true).`);
  throw new Error(
    'No collection account: set MOTCUA_BANK_BIN, MOTCUA_BANK_ACCOUNT and MOTCUA_BANK_ACCOUNT_NAME (collectionAccount) to the account the fees are paid into. ' +
      'The demo account is accepted only in dev mode (MOTCUA_DEV_BANK=true).',
  );
}
