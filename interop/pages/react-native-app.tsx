// React 19 with the elements used directly, no wrapper: React sets props that the element has as
// properties (`pollMaxMs`), passes the rest as attributes, and `on` + the exact event name listens.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { config, record } from './record.js';

function App() {
  const [paid, setPaid] = useState(false);
  const s = config.static;
  return (
    <main data-paid={paid ? 'yes' : 'no'}>
      <qr-payment id="static" bank={s.bank} account={s.account} account-name={s.accountName} amount={s.amount} purpose={s.purpose}></qr-payment>
      <qr-payment
        id="live"
        src={config.payment}
        pollMaxMs={2000}
        onqr-payment-status={(event: Event) => record('react-native', event)}
        onqr-payment-paid={(event: Event) => {
          record('react-native', event);
          setPaid(true);
        }}
      ></qr-payment>
      <qr-survey
        id="survey"
        endpoint="/api/surveys"
        counter="C1"
        dossier={config.dossier}
        token={`t-${config.dossier}`}
        onqr-survey-submit={(event: Event) => record('react-native', event)}
      ></qr-survey>
    </main>
  );
}

export function mount(): void {
  createRoot(document.getElementById('app')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
