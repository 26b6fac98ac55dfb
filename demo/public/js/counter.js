// The officer's counter page. It talks only to the portal backend (/demo/api/…), never with the
// gateway's API key; <qr-payment> follows the payment on the gateway's public endpoints.
import { amountDue, amountToRefund, isClosedWithMoney } from '/cdn/motcua.js';
import { currentLang, el, fetchJson, formatVnd, initLang, onLangChange, t } from './i18n.js';
import { clearSlip, printSlip, setSlipPayment } from './print-slip.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const form = $('payment-form');
let procedures = [];
let current;
/** The shown payment's status as last heard from `<qr-payment>` (its creation answer until then). */
let currentStatus;
const OPEN = ['pending', 'underpaid'];

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
    'counter.restored': 'Quầy đang có khoản thu {code} (hồ sơ {dossier}) chưa thanh toán xong; hiển thị lại.',
    'counter.nextDialog.text': 'Khoản thu {code} của hồ sơ {dossier} ({amount}) chưa được thanh toán đủ.',
    'counter.nextDialog.received': 'Đã nhận {paid}: nếu hủy, số tiền này phải hoàn trả cho công dân.',
    'counter.kept': 'Đã giữ khoản thu {code}: công dân nộp sau bằng phiếu QR. Màn hình công dân đã về màn hình chờ.',
    'counter.nextError': 'Chưa chuyển được sang hồ sơ tiếp theo: {message}',
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
    'counter.delivery.postal': 'Results delivered by post',
    'counter.delivery.postal.hint': 'The QR mailed with the results stays valid for 30 days; the due date is printed on the slip.',
    'counter.dossier.hint': 'As on the receipt slip, e.g. 000.20.01.H26-250115-0001',
    'counter.total': 'Amount due:',
    'counter.create': 'Create payment',
    'counter.note':
      'This page holds no API key: it calls the demo server’s /demo/api/payments (playing the service portal’s backend), which adds the key when it calls the gateway. The amount comes from the procedure catalogue on the server, not from the browser.',
    'counter.payment': 'Current payment',
    'counter.print': 'Print QR slip (for postal delivery)',
    'counter.postal': 'Print slips in bulk for the post office',
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
    'counter.restored': 'This counter has an unfinished payment {code} (dossier {dossier}); showing it again.',
    'counter.nextDialog.title': 'The current payment is not paid yet',
    'counter.nextDialog.text': 'Payment {code} for dossier {dossier} ({amount}) has not been paid in full.',
    'counter.nextDialog.screen': 'Whichever you choose, the citizen screen stops showing this QR for the next citizen.',
    'counter.nextDialog.cancel': 'Cancel the payment',
    'counter.nextDialog.keep': 'Keep it, the citizen pays later',
    'counter.nextDialog.back': 'Go back',
    'counter.nextDialog.received': '{paid} has been received: if you cancel, it must be refunded to the citizen.',
    'counter.kept': 'Payment {code} kept: the citizen pays later with the QR slip. The citizen screen is back to its welcome.',
    'counter.nextError': 'Could not move on to the next dossier: {message}',
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

/** Puts `text` in `element`, the payment code in it in a span that never breaks across lines. */
function fillWithCode(element, text, code) {
  const parts = code ? text.split(code) : [text];
  element.replaceChildren(...parts.flatMap((part, i) => (i ? [el('span', { class: 'code' }, code), part] : [part])));
}

function message(id, text, kind, code = current?.code) {
  const element = $(id);
  element.className = `message ${kind}`;
  fillWithCode(element, text, code);
}

/** Print and Cancel only while the payment can still be paid; copy buttons (the widget's) go with them (see portal.css). */
function updateActions(status) {
  currentStatus = status;
  const open = OPEN.includes(status);
  $('print').hidden = !open;
  $('cancel').hidden = !open;
  $('officer-payment').dataset.status = status;
}

function show(payment, messageKey) {
  current = payment;
  $('payment-card').hidden = false;
  $('officer-payment').setAttribute('src', `/api/payments/${payment.id}`);
  setSlipPayment(payment, selectedProcedure()?.name.vi);
  updateActions(payment.status);
  message('payment-message', t(messageKey, { code: payment.code, dossier: payment.dossier }), 'info');
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
        // Results by post: the payment lives for weeks (its due date goes on the slip).
        ...($('delivery-postal').checked ? { delivery: 'postal' } : {}),
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    show(body, response.status === 201 ? 'counter.created' : 'counter.existing');
  } catch (error) {
    message('form-message', t('counter.error', { message: error.message }), 'error');
  } finally {
    $('create').disabled = false;
  }
});

$('procedure').addEventListener('change', updateTotal);
$('quantity').addEventListener('input', updateTotal);
$('print').addEventListener('click', () => current && void printSlip(current));
/** Clears the payment card and readies the form for the next citizen. */
function nextDossier() {
  current = undefined;
  currentStatus = undefined;
  $('payment-card').hidden = true;
  $('officer-payment').removeAttribute('src');
  clearSlip();
  $('dossier').value = newDossierCode();
  $('dossier').focus();
}

// "Next dossier" while the payment can still be paid: the officer decides whether to cancel it or keep
// it (payable later from its slip). Either way the citizen screen stops showing its QR: cancelling
// sends the screen to idle (the gateway does it), keeping asks the portal backend to.
const dialog = $('next-dialog');
$('next').addEventListener('click', () => {
  if (!current || !OPEN.includes(currentStatus)) return nextDossier();
  const text = t('counter.nextDialog.text', { code: current.code, dossier: current.dossier, amount: formatVnd(current.amount) });
  const received = current.amountPaid ? ` ${t('counter.nextDialog.received', { paid: formatVnd(current.amountPaid) })}` : '';
  fillWithCode($('next-dialog-text'), text + received, current.code);
  message('next-dialog-message', '', '');
  dialog.showModal();
});
async function leaveOpenPayment(button, request) {
  for (const b of dialog.querySelectorAll('button')) b.disabled = true;
  try {
    await request();
    dialog.close(button);
    return true;
  } catch (error) {
    message('next-dialog-message', t('counter.nextError', { message: error.message }), 'error');
    return false;
  } finally {
    for (const b of dialog.querySelectorAll('button')) b.disabled = false;
  }
}
$('next-cancel').addEventListener('click', async () => {
  const payment = current;
  if (await leaveOpenPayment('cancel', () => fetchJson(`/demo/api/payments/${payment.id}/cancel`, { method: 'POST' }))) nextDossier();
});
$('next-keep').addEventListener('click', async () => {
  const payment = current;
  if (await leaveOpenPayment('keep', () => fetchJson(`/demo/api/counters/${encodeURIComponent(payment.counter)}/idle`, { method: 'POST' }))) {
    nextDossier();
    message('form-message', t('counter.kept', { code: payment.code }), 'info', payment.code);
  }
});
$('next-back').addEventListener('click', () => dialog.close('back'));

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
  updateActions(status);
  if (payment.id === current?.id) current = payment;
  // Paid (or closed) while the officer was deciding: nothing is left to decide.
  if (dialog.open && !OPEN.includes(status)) dialog.close('settled');
  if (status === 'cancelled' && status !== previousStatus) message('payment-message', t('counter.cancelled'), 'info');
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
// Reopened (or reloaded) while the counter's screen shows an unfinished payment: show it here again,
// so that the officer can finish it, cancel it, or keep it and move on.
try {
  const state = await fetchJson(`/api/counters/${encodeURIComponent($('counter').value)}`);
  if (!current && state.state === 'payment' && OPEN.includes(state.payment?.status)) show(state.payment, 'counter.restored');
} catch {}
