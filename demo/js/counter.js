// The officer's counter page. It talks only to the portal backend (/demo/api/…), never with the
// gateway's API key; <qr-payment> follows the payment on the gateway's public endpoints.
import { amountDue, amountToRefund, isClosedWithMoney } from '/cdn/motcua.js';
import { currentLang, fetchJson, formatVnd, initLang, onLangChange, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const form = $('payment-form');
let procedures = [];
let current;

initLang({
  vi: {
    'counter.title': 'Quầy cán bộ — motcua',
    'counter.created': 'Đã tạo khoản thu {code}. Mã QR đã hiện trên màn hình công dân.',
    'counter.existing': 'Hồ sơ này đã có khoản thu đang chờ ({code}); hiển thị lại.',
    'counter.paid': 'Đã nhận {amount} cho hồ sơ {dossier}. Có thể trả kết quả.',
    'counter.cancelled': 'Đã hủy khoản thu.',
    'counter.expired': 'Khoản thu đã hết hạn. Tạo lại nếu công dân vẫn muốn nộp.',
    'counter.underpaid': 'Chưa đủ: đã nhận {paid} trên {amount}, còn thiếu {due}. Mã QR trên màn hình công dân đã đổi sang số còn thiếu.',
    'counter.overpaid': 'Đã nhận {paid} cho hồ sơ {dossier} (phí {amount}). Nộp thừa {refund}: cần hoàn trả cho công dân. Có thể trả kết quả.',
    'counter.closedWithMoney':
      'Khoản thu đã đóng khi mới nhận {paid} trên {amount}. Không tạo mã mới: xử lý số tiền đã nhận (nhận nốt phần còn lại hoặc hoàn trả).',
    'counter.error': 'Không tạo được khoản thu: {message}',
    'counter.per': '{fee} / {unit}',
  },
  en: {
    'counter.title': 'Officer counter — motcua',
    'counter.h1': 'Officer counter: create a fee payment',
    'counter.lead':
      'Pick the procedure and enter the dossier code. The QR shows here and on the counter’s citizen screen; when the bank notifies the payment, the status turns to “Paid” by itself.',
    'counter.form': 'New payment',
    'counter.counter': 'Counter',
    'counter.procedure': 'Administrative procedure',
    'counter.quantity': 'Quantity',
    'counter.dossier': 'Dossier code',
    'counter.dossier.hint': 'As on the receipt slip, e.g. 000.20.01.H26-250115-0001',
    'counter.total': 'Amount due:',
    'counter.create': 'Create payment',
    'counter.note':
      'This page holds no API key: it calls the demo server’s /demo/api/payments (playing the service portal’s backend), which adds the key when it calls the gateway. The amount comes from the procedure catalogue on the server, not from the browser.',
    'counter.payment': 'Current payment',
    'counter.print': 'Print QR slip (for postal delivery)',
    'counter.cancel': 'Cancel payment',
    'counter.next': 'Next dossier',
    'counter.created': 'Payment {code} created. The QR is on the citizen screen.',
    'counter.existing': 'This dossier already has an open payment ({code}); showing it again.',
    'counter.paid': 'Received {amount} for dossier {dossier}. Results can be handed over.',
    'counter.cancelled': 'Payment cancelled.',
    'counter.expired': 'The payment expired. Create it again if the citizen still wants to pay.',
    'counter.underpaid': 'Not paid in full: {paid} of {amount} received, {due} still due. The citizen screen’s QR now asks for the rest.',
    'counter.overpaid': 'Received {paid} for dossier {dossier} (fee {amount}). {refund} overpaid: to be refunded to the citizen. Results can be handed over.',
    'counter.closedWithMoney':
      'The payment closed with only {paid} of {amount} received. Do not create a new code: handle the money received (take the rest by hand, or refund it).',
    'counter.error': 'Could not create the payment: {message}',
    'counter.per': '{fee} / {unit}',
  },
});

function newDossierCode() {
  const now = new Date(Date.now() + 7 * 3600_000).toISOString();
  const day = now.slice(2, 10).replaceAll('-', '');
  return `000.20.01.H26-${day}-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
}

function selectedProcedure() {
  return procedures.find((p) => p.id === $('procedure').value);
}

function renderProcedures() {
  const lang = currentLang();
  const select = $('procedure');
  const chosen = select.value;
  select.replaceChildren(
    ...procedures.map((p) => {
      const option = new Option(`${p.name[lang]} — ${p.unit ? t('counter.per', { fee: formatVnd(p.fee), unit: p.unit[lang] }) : formatVnd(p.fee)}`, p.id);
      return option;
    }),
  );
  if (chosen) select.value = chosen;
  updateTotal();
}

function updateTotal() {
  const procedure = selectedProcedure();
  if (!procedure) return;
  const lang = currentLang();
  $('quantity-field').hidden = !procedure.unit;
  $('quantity-label').textContent = procedure.unit ? `${t('counter.quantity')} (${procedure.unit[lang]})` : t('counter.quantity');
  const quantity = procedure.unit ? Math.max(1, Number($('quantity').value) || 1) : 1;
  $('total').textContent = formatVnd(procedure.fee * quantity);
  $('procedure-basis').textContent = procedure.basis;
}

function message(id, text, kind) {
  const element = $(id);
  element.className = `message ${kind}`;
  element.textContent = text;
}

function show(payment, created) {
  current = payment;
  $('payment-card').hidden = false;
  $('officer-payment').setAttribute('src', `/api/payments/${payment.id}`);
  $('print-payment').setAttribute('src', `/api/payments/${payment.id}`);
  message('payment-message', t(created ? 'counter.created' : 'counter.existing', { code: payment.code }), 'info');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  $('create').disabled = true;
  message('form-message', '', '');
  try {
    const response = await fetch('/demo/api/payments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        counter: $('counter').value,
        procedure: $('procedure').value,
        quantity: Number($('quantity').value) || 1,
        dossier: $('dossier').value.trim(),
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    show(body, response.status === 201);
  } catch (error) {
    message('form-message', t('counter.error', { message: error.message }), 'error');
  } finally {
    $('create').disabled = false;
  }
});

$('procedure').addEventListener('change', updateTotal);
$('quantity').addEventListener('input', updateTotal);
$('print').addEventListener('click', () => window.print());
$('next').addEventListener('click', () => {
  current = undefined;
  $('payment-card').hidden = true;
  $('officer-payment').removeAttribute('src');
  $('print-payment').removeAttribute('src');
  $('dossier').value = newDossierCode();
  $('dossier').focus();
});
$('cancel').addEventListener('click', async () => {
  if (!current) return;
  try {
    await fetchJson(`/demo/api/payments/${current.id}/cancel`, { method: 'POST' });
    message('payment-message', t('counter.cancelled'), 'info');
  } catch (error) {
    message('payment-message', error.message, 'error');
  }
});
$('officer-payment').addEventListener('qr-payment-status', (event) => {
  const { payment, status, previousStatus } = event.detail;
  const amounts = { paid: formatVnd(payment.amountPaid), amount: formatVnd(payment.amount), dossier: payment.dossier };
  if (status === 'underpaid') message('payment-message', t('counter.underpaid', { ...amounts, due: formatVnd(amountDue(payment)) }), 'error');
  else if (status === 'paid' && status !== previousStatus) {
    const refund = amountToRefund(payment);
    message('payment-message', refund ? t('counter.overpaid', { ...amounts, refund: formatVnd(refund) }) : t('counter.paid', amounts), 'ok');
  } else if (isClosedWithMoney(payment)) message('payment-message', t('counter.closedWithMoney', amounts), 'error');
  else if (status === 'expired') message('payment-message', t('counter.expired'), 'error');
});
// After expiry the officer asks for a new code: the same dossier gets a fresh payment.
$('officer-payment').addEventListener('qr-payment-regenerate', () => form.requestSubmit());

onLangChange(renderProcedures);

const data = await fetchJson('/demo/api/procedures');
procedures = data.procedures;
$('counter').replaceChildren(...Object.entries(data.counters).map(([id, name]) => new Option(name, id)));
$('counter').value = Object.hasOwn(data.counters, params.get('counter') ?? '') ? params.get('counter') : 'C1';
$('dossier').value = newDossierCode();
renderProcedures();
