import type { PaymentResource } from '@motcua/core';
import { isNewer } from '@motcua/core/protocol';

/**
 * The payment the counter channel carries, handed to `<qr-payment>` as its `statusSource` (the
 * `subscribe` form): the screen keeps one connection to the gateway, and the QR, the amount and the
 * status come from the same stream as the screen's own state.
 */
export class PaymentFeed {
  private _latest: PaymentResource | undefined;
  private readonly _listeners = new Set<(payment: PaymentResource) => void>();

  constructor(readonly paymentId: string) {}

  get latest(): PaymentResource | undefined {
    return this._latest;
  }

  push(payment: PaymentResource): void {
    if (payment.id !== this.paymentId || !isNewer(this._latest, payment)) return;
    this._latest = payment;
    for (const listener of this._listeners) listener(payment);
  }

  /** Replays the latest payment at once, then every newer one. */
  subscribe(listener: (payment: PaymentResource) => void): () => void {
    this._listeners.add(listener);
    if (this._latest) listener(this._latest);
    return () => this._listeners.delete(listener);
  }
}
