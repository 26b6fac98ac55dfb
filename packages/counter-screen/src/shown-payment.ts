// The payment `<qr-counter-screen>` shows: the counter channel carries it, and `<qr-payment>` gets
// it from a PaymentFeed (its `statusSource`), so the screen keeps one connection to the gateway.
import type { PaymentResource } from '@motcua/core';
import { PaymentFeed } from './payment-feed.js';

/** The feed of the payment on screen: a new one for each payment (`<qr-payment>` is keyed by it). */
export class ShownPayment {
  /** The feed `<qr-payment>` follows, once a payment came. */
  feed: PaymentFeed | undefined;

  /** Shows `payment` (a newer version of it, or another payment); `undefined` keeps the last one. */
  show(payment: PaymentResource | undefined): void {
    if (!payment) return;
    if (this.feed?.paymentId !== payment.id) this.feed = new PaymentFeed(payment.id);
    this.feed.push(payment);
  }

  /** Forgets the payment (the channel changed). */
  clear(): void {
    this.feed = undefined;
  }
}
