import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderSecrets } from './config.js';
import { hmacHex, safeEqual, sha256Hex } from './crypto.js';
import { InvalidInput, Unauthenticated } from './errors.js';
import { parseJsonObject } from './http.js';
import type { IncomingTransaction, TransactionOutcome } from './store.js';

export const PROVIDERS = ['generic', 'sepay', 'casso', 'payos'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * One bank-notification provider: how to authenticate and read its webhook, and how to answer it.
 * (How to build a realistic, correctly signed one is the dev bank's business: `dev-bank.ts`.)
 */
export interface ProviderAdapter {
  /**
   * Verifies the request (401 when it is not authentic) and extracts the incoming transactions. An
   * authentic notification never fails past that point: what cannot count (an outgoing transfer, a bad
   * item in a batch, an unreadable body) comes back as a transaction with a `rejection`, to be stored.
   */
  parse(headers: IncomingHttpHeaders, raw: Buffer, secrets: ProviderSecrets): IncomingTransaction[];
  /** The body the provider expects back (it retries anything else). */
  reply(outcomes: TransactionOutcome[]): unknown;
}

/** Why an authentic notification (or one item of it) cannot count. */
export type RejectionReason =
  | 'malformed_body'
  | 'invalid_field'
  | 'not_incoming'
  | 'not_success'
  | 'not_vnd'
  | 'unexpected_fields'
  | 'ambiguous_signature'
  | 'no_transactions';

/** Thrown by an item reader: the item is authentic but cannot count. */
class Rejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/** One item of an authentic notification: its raw JSON, and how to read it (throws {@link Rejection} or {@link InvalidInput}). */
interface NotificationItem {
  raw: unknown;
  read(): Omit<IncomingTransaction, 'rawBody'>;
}

/**
 * Builds `parse` from the two halves every provider has: `authenticate` (throws 401) and `items`
 * (reads the authentic body; a throw there rejects the whole body, a throw in one item's `read`
 * rejects that item only). Rejected items get an id derived from the body, so a re-delivery of the
 * same bad notification is recorded once, and a corrected one under the provider's id is not blocked.
 */
function notificationParser(
  provider: Provider,
  authenticate: (headers: IncomingHttpHeaders, raw: Buffer, secrets: ProviderSecrets) => void,
  items: (body: Record<string, unknown>) => NotificationItem[],
): ProviderAdapter['parse'] {
  return (headers, raw, secrets) => {
    authenticate(headers, raw, secrets);
    const bodyHash = sha256Hex(raw).slice(0, 32);
    const rejected = (index: number, error: unknown, itemRaw: unknown): IncomingTransaction => {
      if (!(error instanceof Rejection) && !(error instanceof InvalidInput)) throw error;
      const reason: RejectionReason = error instanceof Rejection ? error.reason : error.code === 'MALFORMED_JSON' ? 'malformed_body' : 'invalid_field';
      return {
        provider,
        providerTxId: `rejected:${bodyHash}:${index}`,
        amount: 0,
        memo: '',
        raw: itemRaw,
        rawBody: raw,
        rejection: { reason, message: error.message },
      };
    };
    let list: NotificationItem[];
    try {
      list = items(parseJsonObject(raw));
    } catch (error) {
      return [rejected(0, error, null)];
    }
    if (!list.length) return [rejected(0, new Rejection('no_transactions', 'The notification carries no transaction.'), null)];
    return list.map((item, index) => {
      try {
        return { ...item.read(), rawBody: raw };
      } catch (error) {
        return rejected(index, error, item.raw);
      }
    });
  };
}

const unauthorized = (message: string) => new Unauthenticated('INVALID_SIGNATURE', message);
export const requireSecret = (secret: string | undefined, name: string): string => {
  if (!secret) throw unauthorized(`No ${name} is configured for this provider.`);
  return secret;
};

const money = (value: unknown, name: string): number => {
  const amount = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
    throw new InvalidInput('INVALID_FIELD', `"${name}" must be a positive integer amount in VND.`);
  return amount;
};
const text = (value: unknown, name: string, { required = true } = {}): string => {
  if (value === undefined || value === null || (required && value === '')) {
    if (required) throw new InvalidInput('INVALID_FIELD', `"${name}" is required.`);
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidInput('INVALID_FIELD', `"${name}" must be a string.`);
  return String(value);
};
const object = (value: unknown, name: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInput('INVALID_FIELD', `"${name}" must be an object.`);
  return value as Record<string, unknown>;
};
const vnd = (value: unknown, name: string): void => {
  if (value !== undefined && value !== null && value !== 'VND') throw new Rejection('not_vnd', `"${name}" is ${JSON.stringify(value)}, not VND.`);
};

/**
 * Generic signed webhook: `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; body
 * `{id, amount, memo, account, reference?, currency?}` (`account`: the account credited).
 */
const generic: ProviderAdapter = {
  parse: notificationParser(
    'generic',
    (headers, raw, secrets) => {
      const secret = requireSecret(secrets.hmacSecret, 'webhook secret');
      const header = String(headers['x-signature'] ?? '');
      const signature = header.startsWith('sha256=') ? header.slice(7) : header;
      if (!signature || !safeEqual(signature.toLowerCase(), hmacHex(secret, raw))) throw unauthorized('Bad or missing X-Signature.');
    },
    (body) => [
      {
        raw: body,
        read: () => {
          vnd(body.currency, 'currency');
          return {
            provider: 'generic',
            providerTxId: text(body.id, 'id'),
            amount: money(body.amount, 'amount'),
            memo: text(body.memo, 'memo', { required: false }),
            account: text(body.account, 'account'),
            bankReference: text(body.reference, 'reference', { required: false }) || undefined,
            raw: body,
          };
        },
      },
    ],
  ),
  reply: (outcomes) => ({ ok: true, results: outcomes }),
};

/** SePay: `Authorization: Apikey <key>`; body `{id, gateway, transactionDate, accountNumber, code, content, transferType, transferAmount, …}`. */
const sepay: ProviderAdapter = {
  parse: notificationParser(
    'sepay',
    (headers, _raw, secrets) => {
      const key = requireSecret(secrets.sepayApiKey, 'SePay API key');
      const match = /^apikey\s+(.+)$/i.exec(String(headers.authorization ?? '').trim());
      if (!match || !safeEqual(match[1]!, key)) throw unauthorized('Bad or missing "Authorization: Apikey …".');
    },
    (body) => [
      {
        raw: body,
        read: () => {
          // Money going out of the account (or a direction SePay did not state) is not a payment.
          if (String(body.transferType ?? '').toLowerCase() !== 'in')
            throw new Rejection('not_incoming', `"transferType" is ${JSON.stringify(body.transferType ?? null)}, not "in".`);
          return {
            provider: 'sepay',
            providerTxId: text(body.id, 'id'),
            amount: money(body.transferAmount, 'transferAmount'),
            account: text(body.accountNumber, 'accountNumber'),
            memo: text(body.content, 'content', { required: false }) || text(body.description, 'description', { required: false }),
            bankReference: text(body.referenceCode, 'referenceCode', { required: false }) || undefined,
            raw: body,
          };
        },
      },
    ],
  ),
  reply: () => ({ success: true }),
};

/** Casso: `Secure-Token: <token>`; body `{error: 0, data: [{id, tid, description, amount, bank_sub_acc_id, …}]}` (v2: `data` is one object). */
const casso: ProviderAdapter = {
  parse: notificationParser(
    'casso',
    (headers, _raw, secrets) => {
      const token = requireSecret(secrets.cassoSecureToken, 'Casso secure token');
      if (!safeEqual(String(headers['secure-token'] ?? ''), token)) throw unauthorized('Bad or missing Secure-Token.');
    },
    (body) =>
      (Array.isArray(body.data) ? body.data : [object(body.data, 'data')]).map((item: unknown, index: number) => ({
        raw: item,
        read: () => {
          const tx = object(item, `data[${index}]`);
          // Casso reports outgoing money with a negative amount.
          if (Number(tx.amount) < 0) throw new Rejection('not_incoming', `"data[${index}].amount" is negative: money going out.`);
          return {
            provider: 'casso',
            providerTxId: text(tx.id, `data[${index}].id`),
            amount: money(tx.amount, `data[${index}].amount`),
            memo: text(tx.description, `data[${index}].description`, { required: false }),
            account: text(tx.bank_sub_acc_id ?? tx.subAccId ?? tx.accountNumber, `data[${index}].bank_sub_acc_id`),
            bankReference: text(tx.tid ?? tx.reference, `data[${index}].tid`, { required: false }) || undefined,
            raw: tx,
          };
        },
      })),
  ),
  reply: () => ({ error: 0, message: 'ok' }),
};

/** payOS's checksum: HMAC-SHA256 over `data` as `key=value` pairs, keys sorted, joined by `&` (null → ""). */
export function payosSignature(data: Record<string, unknown>, key: string): string {
  const pairs = Object.keys(data)
    .sort()
    .map((name) => {
      const value = data[name];
      const shown =
        value === null || value === undefined || value === 'null' || value === 'undefined'
          ? ''
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
      return `${name}=${shown}`;
    });
  return hmacHex(key, pairs.join('&'));
}

/** The keys of a payOS webhook's `data`, exactly as payOS documents them. */
const PAYOS_DATA_KEYS = [
  'accountNumber',
  'amount',
  'code',
  'counterAccountBankId',
  'counterAccountBankName',
  'counterAccountName',
  'counterAccountNumber',
  'currency',
  'desc',
  'description',
  'orderCode',
  'paymentLinkId',
  'reference',
  'transactionDateTime',
  'virtualAccountName',
  'virtualAccountNumber',
] as const;

/**
 * Whether the signed text reads only one way. payOS escapes nothing, so a value holding `&<key>=`
 * (a memo is the citizen's free text) lets anyone move the pair boundaries and sign a different `data`
 * with the same signature. With the key set fixed, every other reading needs such a value.
 */
function payosAmbiguity(data: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(data)) {
    const shown = typeof value === 'string' ? value : '';
    const key = PAYOS_DATA_KEYS.find((candidate) => shown.includes(`&${candidate}=`));
    if (key) return `"data.${name}" contains "&${key}=": the signed text can be split another way.`;
  }
  return undefined;
}

/** payOS: body `{code, desc, success, data: {orderCode, amount, description, accountNumber, reference, currency, code, …}, signature}`. */
const payos: ProviderAdapter = {
  parse: notificationParser(
    'payos',
    (_headers, raw, secrets) => {
      const key = requireSecret(secrets.payosChecksumKey, 'payOS checksum key');
      let data: Record<string, unknown>;
      let signature: unknown;
      try {
        const body = parseJsonObject(raw);
        signature = body.signature;
        data = object(body.data, 'data');
      } catch {
        throw unauthorized('A payOS notification must be a JSON object with a signed "data" object.');
      }
      if (typeof signature !== 'string' || !safeEqual(signature.toLowerCase(), payosSignature(data, key)))
        throw unauthorized('Bad or missing payOS signature.');
    },
    (body) => [
      {
        raw: body,
        read: () => {
          const data = object(body.data, 'data');
          const keys = Object.keys(data);
          const missing = PAYOS_DATA_KEYS.filter((name) => !keys.includes(name));
          const extra = keys.filter((name) => !(PAYOS_DATA_KEYS as readonly string[]).includes(name));
          if (missing.length || extra.length)
            throw new Rejection(
              'unexpected_fields',
              `"data" must hold exactly payOS's documented keys (missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}).`,
            );
          const ambiguity = payosAmbiguity(data);
          if (ambiguity) throw new Rejection('ambiguous_signature', ambiguity);
          if (body.success === false || (body.code !== undefined && body.code !== '00') || data.code !== '00')
            throw new Rejection('not_success', `payOS reports code ${JSON.stringify(data.code)}, not a successful payment.`);
          if (data.currency !== 'VND') throw new Rejection('not_vnd', `"data.currency" is ${JSON.stringify(data.currency)}, not VND.`);
          const reference = text(data.reference, 'data.reference');
          return {
            provider: 'payos',
            providerTxId: reference,
            amount: money(data.amount, 'data.amount'),
            memo: text(data.description, 'data.description', { required: false }),
            account: text(data.accountNumber, 'data.accountNumber'),
            bankReference: reference,
            raw: body,
          };
        },
      },
    ],
  ),
  reply: () => ({ success: true }),
};

export const ADAPTERS: Record<Provider, ProviderAdapter> = { generic, sepay, casso, payos };
export const isProvider = (name: string): name is Provider => (PROVIDERS as readonly string[]).includes(name);
