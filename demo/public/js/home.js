import { initLang } from './i18n.js';

initLang({
  vi: {},
  en: {
    'home.title': 'motcua — One-stop counter demo',
    'home.h1': 'QR fee payment and satisfaction rating at a one-stop counter — demo',
    'home.lead':
      'The counter’s six steps: the officer creates the payment from the dossier, the VietQR shows on the officer’s and the citizen’s screens, the bank notifies, both screens turn to “paid” by themselves, the citizen rates the service, finance staff reconcile.',
    'home.counter': 'Officer counter (Counter 1)',
    'home.counter.text': 'Pick a procedure, enter the dossier code, create the payment, print a QR slip to send with results by post.',
    'home.screen': 'Citizen screen (Counter 1)',
    'home.screen.text': 'Open in a second window, or on a tablet facing the citizen.',
    'home.bank': 'Simulated bank',
    'home.bank.text': 'Open payments and their QR payloads; pay exact, short or over, or with a memo mangled by the bank app.',
    'home.reports': 'Reports',
    'home.reports.text': 'Today’s reconciliation and this month’s satisfaction, with charts and CSV download.',
    'home.counter2': 'Officer counter (Counter 2)',
    'home.counter2.text': 'A second counter, with its own citizen screen: ',
    'home.screen2': 'Citizen screen (Counter 2)',
    'home.how': 'How to try it',
    'home.step1': 'Open “Officer counter” and “Citizen screen” side by side.',
    'home.step2': 'Create a payment: the QR appears on both screens.',
    'home.step3': 'On “Simulated bank”, press “Pay exact”: the bank sends a signed notification to the gateway, and both screens turn to “Paid”.',
    'home.step4': 'The citizen screen asks for a rating; tap an answer, or scan the code to rate on a phone.',
    'home.step5': 'Open “Reports”: the payment with its bank transaction, and the rating.',
    'home.note':
      'The gateway’s API key is never in the browser: the officer page calls /demo/api/…, and the demo server (demo/server/start.mjs, playing the service portal’s backend) adds the key when it forwards to the gateway.',
  },
});
