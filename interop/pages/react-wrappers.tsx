// React page with @motcua/react: the @lit/react wrappers, events as onPaid-style props.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QrPayment, QrSurvey } from '@motcua/react';
import { config, record } from './record.js';

function App() {
  const [paid, setPaid] = useState(false);
  const s = config.static;
  return (
    <main data-paid={paid ? 'yes' : 'no'}>
      <QrPayment id="static" bank={s.bank} account={s.account} accountName={s.accountName} amount={s.amount} purpose={s.purpose} />
      <QrPayment
        id="live"
        src={config.payment}
        pollMaxMs={2000}
        onStatus={(event) => record('react-wrapper', event)}
        onPaid={(event) => {
          record('react-wrapper', event);
          setPaid(event.detail.payment.status === 'paid');
        }}
      />
      <QrSurvey
        id="survey"
        endpoint="/api/surveys"
        counter="C1"
        dossier={config.dossier}
        token={`t-${config.dossier}`}
        onSubmit={(event) => record('react-wrapper', event)}
      />
    </main>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
