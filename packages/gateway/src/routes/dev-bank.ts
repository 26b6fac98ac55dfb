import { unitsOf } from '../config.js';
import { Type } from 'typebox';
import { simulateTransfer } from '../dev-bank.js';
import { InvalidInput } from '../errors.js';
import { DevTransferBody, errors } from '../schemas.js';
import type { App, RouteContext } from './context.js';

/** `POST /dev/bank/transfer` (dev mode only): the simulated bank pays through the real notification route. */
export function devBankRoutes(app: App, ctx: RouteContext): void {
  const { config, store } = ctx;
  app.post(
    '/dev/bank/transfer',
    {
      schema: {
        summary: 'Simulate a transfer (dev mode only: `MOTCUA_DEV_BANK=true`)',
        tags: ['dev'],
        body: DevTransferBody,
        response: {
          200: Type.Object(
            {
              sent: Type.Object({ provider: Type.String(), url: Type.String(), body: Type.Unknown() }),
              response: Type.Object({ status: Type.Integer(), body: Type.Unknown() }),
            },
            { description: 'The notification sent, and how the gateway answered it.' },
          ),
          ...errors(400, 401, 404, 503),
        },
      },
    },
    async (request) => {
      const { provider, paymentId, code, memo, amount, transactionId, account } = request.body;
      if (amount === undefined && paymentId == null)
        throw new InvalidInput('INVALID_FIELD', '"amount" must be an integer from 1 to 9999999999999 (or name a "paymentId").');
      return simulateTransfer(
        {
          provider: provider ?? 'generic',
          ...(paymentId != null ? { paymentId } : {}),
          ...(code != null ? { code } : {}),
          ...(memo != null ? { memo } : {}),
          ...(amount !== undefined ? { amount: Number(amount) } : {}),
          ...(transactionId != null ? { transactionId } : {}),
          ...(account != null ? { account } : {}),
        },
        { store, gatewayUrl: ctx.selfUrl(), collectionAccount: unitsOf(config).units[0]!.account.account, secrets: config.providers },
      );
    },
  );
}
