import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderSecrets } from './config.js';
import { hmacHex, randomId, safeEqual } from './crypto.js';
import { ApiError, parseJsonObject } from './http.js';
import type { IncomingTransaction, TransactionOutcome } from './store.js';

export const PROVIDERS = ['generic', 'sepay', 'casso', 'payos'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A transfer as the dev bank is asked to make it. */
export interface SimulatedTransfer {
  memo: string;
  amount: number;
  /** Defaults to a random id. */
  transactionId?: string;
  account: string;
}

/**
 * One bank-notification provider: how to authenticate and read its webhook, how to answer it, and
 * (for the dev bank) how to build a realistic, correctly signed one.
 */
export interface ProviderAdapter {
  /** Verifies the request (401 when it is not authentic) and extracts the incoming transactions. */
  parse(headers: IncomingHttpHeaders, raw: Buffer, secrets: ProviderSecrets): IncomingTransaction[];
  /** The body the provider expects back (it retries anything else). */
  reply(outcomes: TransactionOutcome[]): unknown;
  build(transfer: SimulatedTransfer, secrets: ProviderSecrets): { headers: Record<string, string>; body: string };
}

const unauthorized = (message: string) => new ApiError(401, 'INVALID_SIGNATURE', message);
const requireSecret = (secret: string | undefined, name: string): string => {
  if (!secret) throw unauthorized(`No ${name} is configured for this provider.`);
  return secret;
};

const money = (value: unknown, name: string): number => {
  const amount = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be a positive integer amount in VND.`);
  return amount;
};
const text = (value: unknown, name: string, { required = true } = {}): string => {
  if (value === undefined || value === null) {
    if (required) throw new ApiError(400, 'INVALID_FIELD', `"${name}" is required.`);
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be a string.`);
  return String(value);
};
const object = (value: unknown, name: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be an object.`);
  return value as Record<string, unknown>;
};
const vnTime = () => new Date(Date.now() + 7 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

/** Generic signed webhook: `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; body `{id, amount, memo, reference?}`. */
const generic: ProviderAdapter = {
  parse(headers, raw, secrets) {
    const secret = requireSecret(secrets.hmacSecret, 'webhook secret');
    const header = String(headers['x-signature'] ?? '');
    const signature = header.startsWith('sha256=') ? header.slice(7) : header;
    if (!signature || !safeEqual(signature.toLowerCase(), hmacHex(secret, raw))) throw unauthorized('Bad or missing X-Signature.');
    const body = parseJsonObject(raw);
    return [{ provider: 'generic', providerTxId: text(body.id, 'id'), amount: money(body.amount, 'amount'), memo: text(body.memo, 'memo', { required: false }), bankReference: text(body.reference, 'reference', { required: false }) || undefined, raw: body }];
  },
  reply: (outcomes) => ({ ok: true, results: outcomes }),
  build(transfer, secrets) {
    const body = JSON.stringify({ id: transfer.transactionId ?? `GEN${randomId(9)}`, amount: transfer.amount, memo: transfer.memo, account: transfer.account, reference: `FT${Date.now()}`, time: new Date().toISOString() });
    return { headers: { 'content-type': 'application/json', 'x-signature': `sha256=${hmacHex(requireSecret(secrets.hmacSecret, 'webhook secret'), body)}` }, body };
  },
};

/** SePay: `Authorization: Apikey <key>`; body `{id, gateway, transactionDate, accountNumber, code, content, transferType, transferAmount, …}`. */
const sepay: ProviderAdapter = {
  parse(headers, raw, secrets) {
    const key = requireSecret(secrets.sepayApiKey, 'SePay API key');
    const match = /^apikey\s+(.+)$/i.exec(String(headers.authorization ?? '').trim());
    if (!match || !safeEqual(match[1]!, key)) throw unauthorized('Bad or missing "Authorization: Apikey …".');
    const body = parseJsonObject(raw);
    const id = text(body.id, 'id');
    // Money going out of the collection account is not a payment.
    if (body.transferType !== 'in') return [];
    return [{ provider: 'sepay', providerTxId: id, amount: money(body.transferAmount, 'transferAmount'), memo: text(body.content, 'content', { required: false }) || text(body.description, 'description', { required: false }), bankReference: text(body.referenceCode, 'referenceCode', { required: false }) || undefined, raw: body }];
  },
  reply: () => ({ success: true }),
  build(transfer, secrets) {
    const body = JSON.stringify({
      id: Number(transfer.transactionId ?? Math.floor(Math.random() * 1e9)),
      gateway: 'Vietcombank',
      transactionDate: vnTime(),
      accountNumber: transfer.account,
      code: null,
      content: transfer.memo,
      transferType: 'in',
      transferAmount: transfer.amount,
      accumulated: 0,
      subAccount: null,
      referenceCode: `FT${Date.now()}`,
      description: `BankAPINotify ${transfer.memo}`,
    });
    return { headers: { 'content-type': 'application/json', authorization: `Apikey ${requireSecret(secrets.sepayApiKey, 'SePay API key')}` }, body };
  },
};

/** Casso: `Secure-Token: <token>`; body `{error: 0, data: [{id, tid, description, amount, …}]}` (v2: `data` is one object). */
const casso: ProviderAdapter = {
  parse(headers, raw, secrets) {
    const token = requireSecret(secrets.cassoSecureToken, 'Casso secure token');
    if (!safeEqual(String(headers['secure-token'] ?? ''), token)) throw unauthorized('Bad or missing Secure-Token.');
    const body = parseJsonObject(raw);
    const items = Array.isArray(body.data) ? body.data : [object(body.data, 'data')];
    return items.flatMap((item: unknown, index: number): IncomingTransaction[] => {
      const tx = object(item, `data[${index}]`);
      // Casso reports outgoing money with a negative amount.
      if (Number(tx.amount) < 0) return [];
      return [{ provider: 'casso', providerTxId: text(tx.id, `data[${index}].id`), amount: money(tx.amount, `data[${index}].amount`), memo: text(tx.description, `data[${index}].description`, { required: false }), bankReference: text(tx.tid ?? tx.reference, `data[${index}].tid`, { required: false }) || undefined, raw: tx }];
    });
  },
  reply: () => ({ error: 0, message: 'ok' }),
  build(transfer, secrets) {
    const body = JSON.stringify({
      error: 0,
      data: [{ id: Number(transfer.transactionId ?? Math.floor(Math.random() * 1e9)), tid: `FT${Date.now()}`, description: transfer.memo, amount: transfer.amount, cusum_balance: 0, when: vnTime(), bank_sub_acc_id: transfer.account, subAccId: transfer.account }],
    });
    return { headers: { 'content-type': 'application/json', 'secure-token': requireSecret(secrets.cassoSecureToken, 'Casso secure token') }, body };
  },
};

/** payOS's checksum: HMAC-SHA256 over `data` as `key=value` pairs, keys sorted, joined by `&` (null → ""). */
export function payosSignature(data: Record<string, unknown>, key: string): string {
  const pairs = Object.keys(data)
    .sort()
    .map((name) => {
      const value = data[name];
      const shown = value === null || value === undefined || value === 'null' || value === 'undefined' ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return `${name}=${shown}`;
    });
  return hmacHex(key, pairs.join('&'));
}

/** payOS: body `{code, desc, success, data: {orderCode, amount, description, reference, …}, signature}`. */
const payos: ProviderAdapter = {
  parse(_headers, raw, secrets) {
    const key = requireSecret(secrets.payosChecksumKey, 'payOS checksum key');
    const body = parseJsonObject(raw);
    const data = object(body.data, 'data');
    if (typeof body.signature !== 'string' || !safeEqual(body.signature.toLowerCase(), payosSignature(data, key))) throw unauthorized('Bad or missing payOS signature.');
    if (body.success === false || (body.code !== undefined && body.code !== '00')) return [];
    const reference = text(data.reference, 'data.reference');
    return [{ provider: 'payos', providerTxId: reference, amount: money(data.amount, 'data.amount'), memo: text(data.description, 'data.description', { required: false }), bankReference: reference, raw: body }];
  },
  reply: () => ({ success: true }),
  build(transfer, secrets) {
    const reference = transfer.transactionId ?? `FT${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const data = {
      orderCode: Math.floor(Math.random() * 1e6),
      amount: transfer.amount,
      description: transfer.memo,
      accountNumber: transfer.account,
      reference,
      transactionDateTime: vnTime(),
      currency: 'VND',
      paymentLinkId: randomId(8),
      code: '00',
      desc: 'success',
      counterAccountBankId: '',
      counterAccountBankName: '',
      counterAccountName: null,
      counterAccountNumber: null,
      virtualAccountName: '',
      virtualAccountNumber: '',
    };
    const body = JSON.stringify({ code: '00', desc: 'success', success: true, data, signature: payosSignature(data, requireSecret(secrets.payosChecksumKey, 'payOS checksum key')) });
    return { headers: { 'content-type': 'application/json' }, body };
  },
};

export const ADAPTERS: Record<Provider, ProviderAdapter> = { generic, sepay, casso, payos };
export const isProvider = (name: string): name is Provider => (PROVIDERS as readonly string[]).includes(name);
