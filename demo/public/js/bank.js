// The simulated bank: lists the open payments (through the portal backend, which holds the API key)
// and pays them through the gateway's dev bank, which signs a real-shaped provider notification.
import { decodeVietQR } from '/cdn/motcua.js';
import { el, fetchJson, formatVnd, initLang, labelColumns, onLangChange, t } from './i18n.js';

initLang({
  vi: {
    'bank.title': 'Ngân hàng giả lập — motcua',
    'bank.exact': 'Trả đủ',
    'bank.short': 'Trả thiếu',
    'bank.over': 'Trả thừa',
    'bank.mangled': 'Nội dung bị sai lệch',
    'bank.otherAccount': 'Vào tài khoản khác',
    'bank.sent': '{provider}: {amount}, nội dung “{memo}” → gateway trả lời {status}.',
    'bank.memo': 'Nội dung CK',
    'bank.status.pending': 'Chờ thanh toán',
    'bank.status.underpaid': 'Chưa đủ',
  },
  en: {
    'bank.title': 'Simulated bank — motcua',
    'bank.h1': 'Simulated bank',
    'bank.lead':
      'Stands in for the citizen’s banking app: pick an open payment and transfer. The gateway sends itself a correctly signed balance notification, like an aggregator would (generic HMAC webhook, SePay, Casso or payOS).',
    'bank.provider': 'Notification channel',
    'bank.refresh': 'Refresh the list',
    'bank.pending': 'Payments waiting',
    'bank.code': 'Code',
    'bank.dossier': 'Dossier / counter',
    'bank.amount': 'Amount',
    'bank.paid': 'Received',
    'bank.payload': 'QR payload',
    'bank.pay': 'Transfer',
    'bank.empty': 'No payment is waiting. Create one on the Officer counter page.',
    'bank.log': 'Notifications sent',
    'bank.lastNotification': 'Last notification',
    'bank.exact': 'Pay exact',
    'bank.short': 'Pay short',
    'bank.over': 'Pay over',
    'bank.mangled': 'Mangled memo',
    'bank.otherAccount': 'Into another account',
    'bank.sent': '{provider}: {amount}, memo “{memo}” → the gateway answered {status}.',
    'bank.memo': 'Memo',
    'bank.generic': 'Generic webhook (HMAC-SHA256)',
    'bank.status.pending': 'Pending',
    'bank.status.underpaid': 'Underpaid',
  },
});

let payments = [];
/** Counter ids → names ("Quầy 1 — Tư pháp, hộ tịch"), from the portal backend. */
let counters = {};

/** What bank apps do to a memo: upper/lower case, spaces inside the code, a prefix and suffix. */
export function mangleMemo(memo) {
  const [code = '', ...rest] = memo.split(' ');
  const spaced = `${code.slice(0, 3)} ${code.slice(3, 6)}-${code.slice(6)}`.toLowerCase();
  return `MBVCB.1234567.${spaced}.${rest.join(' ')}.CT tu 0123456789 NGUYEN VAN A`;
}

async function pay(payment, kind) {
  const due = payment.amount - payment.amountPaid;
  const memo = decodeVietQR(payment.qr).purpose ?? payment.code;
  const amount = kind === 'short' ? Math.max(1000, Math.floor(due / 2 / 1000) * 1000) : kind === 'over' ? due + 10_000 : due;
  const body = { provider: document.getElementById('provider').value, paymentId: payment.id, amount, memo: kind === 'mangled' ? mangleMemo(memo) : memo };
  // The notification names the account credited (the collection account by default): money into
  // another account of the same aggregator login must never pay the fee.
  if (kind === 'otherAccount') body.account = '0451000999999';
  const message = document.getElementById('bank-message');
  try {
    const result = await fetchJson('/dev/bank/transfer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    message.className = `message ${result.response.status === 200 ? 'ok' : 'error'}`;
    message.textContent = t('bank.sent', { provider: result.sent.provider, amount: formatVnd(amount), memo: body.memo, status: result.response.status });
    document.getElementById('log').textContent = JSON.stringify(result, null, 2);
  } catch (error) {
    message.className = 'message error';
    message.textContent = error.message;
  }
  await refresh();
}

function render() {
  const tbody = document.querySelector('#pending tbody');
  tbody.replaceChildren(
    ...payments.map((payment) => {
      const due = payment.amount - payment.amountPaid;
      const button = (kind) =>
        el('button', { type: 'button', class: 'secondary', dataset: { pay: kind, code: payment.code }, onclick: () => pay(payment, kind) }, t(`bank.${kind}`));
      return el(
        'tr',
        { dataset: { code: payment.code } },
        el('td', {}, el('strong', { class: 'code' }, payment.code)),
        el('td', {}, payment.dossier, el('br'), counters[payment.counter] ?? payment.counter),
        el('td', { class: 'num' }, formatVnd(payment.amount)),
        el(
          'td',
          { class: `num status-${payment.status}` },
          formatVnd(payment.amountPaid),
          due < payment.amount ? el('br') : '',
          due < payment.amount ? t(`bank.status.${payment.status}`) : '',
        ),
        el('td', {}, el('code', { class: 'payload' }, payment.qr)),
        el('td', {}, el('div', { class: 'actions' }, button('exact'), button('short'), button('over'), button('mangled'), button('otherAccount'))),
      );
    }),
  );
  labelColumns(document.getElementById('pending'));
  document.getElementById('empty').hidden = payments.length > 0;
}

async function refresh() {
  try {
    payments = (await fetchJson('/demo/api/payments')).payments;
  } catch (error) {
    payments = [];
    const message = document.getElementById('bank-message');
    message.className = 'message error';
    message.textContent = error.message;
  }
  render();
}

document.getElementById('refresh').addEventListener('click', refresh);
try {
  counters = (await fetchJson('/demo/api/procedures')).counters;
} catch {}
onLangChange(render);
setInterval(() => {
  if (!document.hidden && !document.querySelector('#pending button:focus')) void refresh();
}, 5000);
await refresh();
