import { decodeVietQR } from '@motcua/core';
import type { ProviderSecrets } from './config.js';
import { hmacHex, randomId } from './crypto.js';
import { NotFound } from './errors.js';
import { type Provider, payosSignature, requireSecret } from './providers.js';
import type { Store } from './store.js';
import { vietnamDateTime } from './vietnam-time.js';

/**
 * The simulated bank (dev mode only, `POST /dev/bank/transfer`): it builds the notification a
 * provider would send for a transfer — real-shaped and correctly signed — and posts it to the
 * gateway's own notification route, so the demo and the tests go through exactly the production path
 * (`providers.ts` parses it, `store.ts` applies it). Nothing here runs outside dev mode.
 */

/** A transfer as the dev bank is asked to make it. */
export interface SimulatedTransfer {
  memo: string;
  amount: number;
  /** Defaults to a random id. */
  transactionId?: string;
  account: string;
}

/** A provider's notification, ready to post: its headers and its body, byte for byte. */
export interface SimulatedNotification {
  headers: Record<string, string>;
  body: string;
}

/** Vietnam's wall-clock time as the aggregators write it: `YYYY-MM-DD HH:mm:ss`. */
const vnTime = () => vietnamDateTime().replace('T', ' ').slice(0, 19);

/** How each provider writes and signs a notification of one incoming transfer. */
export const SIMULATED_NOTIFICATIONS: Record<Provider, (transfer: SimulatedTransfer, secrets: ProviderSecrets) => SimulatedNotification> = {
  generic(transfer, secrets) {
    const body = JSON.stringify({
      id: transfer.transactionId ?? `GEN${randomId(9)}`,
      amount: transfer.amount,
      memo: transfer.memo,
      account: transfer.account,
      reference: `FT${Date.now()}`,
      time: new Date().toISOString(),
    });
    return {
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${hmacHex(requireSecret(secrets.hmacSecret, 'webhook secret'), body)}` },
      body,
    };
  },
  sepay(transfer, secrets) {
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
  casso(transfer, secrets) {
    const body = JSON.stringify({
      error: 0,
      data: [
        {
          id: Number(transfer.transactionId ?? Math.floor(Math.random() * 1e9)),
          tid: `FT${Date.now()}`,
          description: transfer.memo,
          amount: transfer.amount,
          cusum_balance: 0,
          when: vnTime(),
          bank_sub_acc_id: transfer.account,
          subAccId: transfer.account,
        },
      ],
    });
    return { headers: { 'content-type': 'application/json', 'secure-token': requireSecret(secrets.cassoSecureToken, 'Casso secure token') }, body };
  },
  payos(transfer, secrets) {
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
    const body = JSON.stringify({
      code: '00',
      desc: 'success',
      success: true,
      data,
      signature: payosSignature(data, requireSecret(secrets.payosChecksumKey, 'payOS checksum key')),
    });
    return { headers: { 'content-type': 'application/json' }, body };
  },
};

/** What the dev bank is asked for: a payment to pay (its memo and amount by default), or a memo and amount of its own. */
export interface DevTransferRequest {
  provider: Provider;
  paymentId?: string;
  code?: string;
  memo?: string;
  amount?: number;
  transactionId?: string;
  /** The account credited: the collection account unless the caller simulates a transfer into another one. */
  account?: string;
}

export interface DevTransferResult {
  sent: { provider: Provider; url: string; body: unknown };
  response: { status: number; body: unknown };
}

/**
 * Makes the transfer: builds the provider's notification and posts it to `gatewayUrl`'s notification
 * route. Throws {@link NotFound} for an unknown `paymentId`.
 */
export async function simulateTransfer(
  request: DevTransferRequest,
  deps: { store: Store; gatewayUrl: string; collectionAccount: string; secrets: ProviderSecrets },
): Promise<DevTransferResult> {
  const { provider, paymentId, code } = request;
  const payment = paymentId ? await deps.store.getPayment(paymentId) : undefined;
  if (paymentId && !payment) throw new NotFound('No such payment.');
  const memo = request.memo ?? (payment ? (memoOf(payment.qr) ?? payment.code) : (code ?? ''));
  const amount = request.amount ?? payment?.amount ?? 0;
  // Into the payment's own unit's account (a province has several), else the first unit's.
  const account = request.account ?? payment?.bank.account ?? deps.collectionAccount;
  const built = SIMULATED_NOTIFICATIONS[provider](
    { memo, amount, account, ...(request.transactionId !== undefined ? { transactionId: request.transactionId } : {}) },
    deps.secrets,
  );
  const url = `/api/bank/notifications/${provider}`;
  const answer = await fetch(`${deps.gatewayUrl}${url}`, { method: 'POST', headers: built.headers, body: built.body });
  const answerText = await answer.text();
  let answerBody: unknown = answerText;
  try {
    answerBody = JSON.parse(answerText);
  } catch {}
  return { sent: { provider, url, body: JSON.parse(built.body) }, response: { status: answer.status, body: answerBody } };
}

/** The memo inside a payment's VietQR (field 62.08): what a bank app sends. */
function memoOf(qr: string): string | undefined {
  try {
    return decodeVietQR(qr).purpose;
  } catch {
    return undefined;
  }
}
