import type { PaymentResource } from '@motcua/core';
import { isFinalStatus } from '@motcua/core/protocol';

// Its own module so that <qr-payment> can apply the rule to a host's status source without
// loading the watcher, which the CDN build splits off for `src` mode.

/**
 * Whether `next` should replace `current`: same payment, strictly newer version, and `current` is
 * not final. The one rule every input path of the widget applies.
 */
export function isNewerPayment(current: PaymentResource | undefined, next: PaymentResource): boolean {
  if (!current) return true;
  if (next.id !== current.id) return false;
  if (isFinalStatus(current.status)) return false;
  return next.version > current.version;
}
