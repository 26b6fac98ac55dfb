// The counter screen's `announce`: the payment seen turning paid is said out loud, once. The sound
// itself (chime, speech) is announce.ts, a chunk loaded when the first payment is announced.
import type { CounterState, PaymentResource } from '@motcua/core';
import type { Locale } from '@motcua/core/runtime';

/** Says each payment out loud once, when this screen sees it turn paid (`announce`). */
export class PaymentAnnouncer {
  /** Payments already announced: never twice, whatever the channel re-sends. */
  private readonly _announced = new Set<string>();

  /**
   * Announces `payment` if it turned paid since `previous`. A state that is paid already when the
   * screen (re)loads is not: the citizen heard it, or has gone.
   */
  announceIfPaid(previous: CounterState | undefined, payment: PaymentResource | undefined, locale: Locale): void {
    const before = previous && previous.state !== 'idle' ? previous.payment : undefined;
    if (payment?.status !== 'paid' || before?.id !== payment.id || before.status === 'paid' || this._announced.has(payment.id)) return;
    this._announced.add(payment.id);
    import('./announce.js').then(
      ({ announcePayment }) => announcePayment(payment.amountPaid || payment.amount, locale),
      (error: unknown) => console.debug('motcua: the announcement could not be loaded', error),
    );
  }
}
