// Type-level checks, run by `tsc -b`: the wrappers' props and event props are typed from the elements.
// (Behaviour is tested in a real React 19 page by interop/react.test.ts.)
import type { PaymentResource } from '@motcua/core';
import { QrCounterScreen, QrPayment, QrSurvey } from '@motcua/react';

export function OfficerPage({ onPaid }: { onPaid: (payment: PaymentResource) => void }) {
  return (
    <>
      <QrPayment
        src="/api/payments/42"
        view="officer"
        pollMaxMs={10_000}
        onPaid={(event) => onPaid(event.detail.payment)}
        onError={(event) => console.warn(event.detail.code, event.detail.recoverable)}
        onStatus={(event) => console.log(event.detail.status, event.detail.previousStatus)}
      />
      <QrSurvey
        endpoint="/api/surveys"
        counter="C1"
        dossier="D-1"
        mode="kiosk"
        onSubmit={(event) => console.log(event.detail.key, event.detail.repeat)}
        onQueued={(event) => console.log(event.detail.reason)}
      />
      <QrCounterScreen counter="C1" onState={(event) => console.log(event.detail)} />
    </>
  );
}

// @ts-expect-error — `view` only takes officer | customer | print.
export const wrongView = <QrPayment view="kiosk" />;
// @ts-expect-error — the paid event carries `payment`, not `amount`.
export const wrongDetail = <QrPayment onPaid={(event) => event.detail.amount} />;
