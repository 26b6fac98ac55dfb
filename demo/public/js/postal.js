// The postal clerk's page: the open payments (pending or short-paid) from the portal backend, the
// ones to mail ticked, printed together on A4 (four A6 or two A5 slips per sheet, with cut lines) or
// one slip per A6/A5 page. <qr-payment-slip> is a snapshot: this page opens no event stream.
import { currentLang, fetchJson, formatVnd, initLang, onLangChange, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const slips = $('batch-slips');
let payments = [];
/** What each procedure's memo text stands for, in Vietnamese (the payment carries only the ASCII memo). */
let descriptions = new Map();

initLang({
  vi: {
    'postal.title': 'In phiếu nộp phí gửi qua bưu điện — motcua',
    'postal.none': 'Không có khoản thu nào đang chờ thanh toán.',
    'postal.nothingSelected': 'Chưa chọn khoản thu nào để in.',
    'postal.error': 'Không tải được danh sách khoản thu: {message}',
    'postal.choose': 'Chọn {code}',
  },
  en: {
    'nav.postal': 'Postal slips',
    'postal.title': 'Print fee slips for postal delivery — motcua',
    'postal.h1': 'Print fee slips to send with results by post',
    'postal.lead':
      'The payments waiting to be paid. Tick the dossiers whose results go out by post, choose the paper and print: every slip has the QR code, the amount in figures and in words, the receiving account, the transfer memo and the due date.',
    'postal.open': 'Open payments',
    'postal.selectAll': 'Select all',
    'postal.code': 'Payment code',
    'postal.dossier': 'Dossier',
    'postal.for': 'For',
    'postal.amount': 'Amount',
    'postal.due': 'Pay by',
    'postal.paper': 'Paper',
    'postal.paper.a4a6': 'Four A6 slips per A4 sheet (with cut lines)',
    'postal.paper.a4a5': 'Two A5 slips per landscape A4 sheet (with cut lines)',
    'postal.paper.a6': 'One slip per A6 page',
    'postal.paper.a5': 'One slip per A5 page',
    'postal.print': 'Print the selected slips',
    'postal.preview': 'Preview',
    'postal.none': 'No payment is waiting to be paid.',
    'postal.nothingSelected': 'No payment is selected.',
    'postal.error': 'The payments could not be loaded: {message}',
    'postal.choose': 'Select {code}',
  },
});

function message(text, kind = 'info') {
  $('list-message').className = `message ${kind}`;
  $('list-message').textContent = text;
}

function selected() {
  const ids = new Set([...document.querySelectorAll('#payments input:checked')].map((input) => input.value));
  return payments.filter((payment) => ids.has(payment.id)).map((payment) => ({ ...payment, description: descriptions.get(payment.purpose) }));
}

function renderList() {
  const lang = currentLang();
  const checked = new Set([...document.querySelectorAll('#payments input')].filter((input) => input.checked).map((input) => input.value));
  const due = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
  $('payments').replaceChildren(
    ...payments.map((payment) => {
      const row = document.createElement('tr');
      const box = Object.assign(document.createElement('input'), {
        type: 'checkbox',
        value: payment.id,
        checked: checked.size ? checked.has(payment.id) : true,
      });
      box.setAttribute('aria-label', t('postal.choose', { code: payment.code }));
      const cells = [
        box,
        payment.code,
        payment.dossier,
        descriptions.get(payment.purpose) ?? payment.purpose,
        formatVnd(payment.amount),
        due.format(new Date(payment.expiresAt)),
      ];
      row.append(
        ...cells.map((content, i) => {
          const cell = document.createElement('td');
          cell.append(content);
          if (i === 4) cell.className = 'num';
          return cell;
        }),
      );
      return row;
    }),
  );
  if (!payments.length) message(t('postal.none'));
  updatePreview();
}

function updatePreview() {
  slips.setAttribute('paper', $('paper').value);
  slips.payments = selected();
}

$('payments').addEventListener('change', updatePreview);
$('paper').addEventListener('change', updatePreview);
$('select-all').addEventListener('change', (event) => {
  for (const input of document.querySelectorAll('#payments input')) input.checked = event.target.checked;
  updatePreview();
});
$('batch-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  updatePreview();
  if (!slips.payments.length) return message(t('postal.nothingSelected'), 'error');
  await slips.updateComplete;
  window.print();
});
onLangChange(renderList);

try {
  const [open, catalogue] = await Promise.all([fetchJson('/demo/api/payments'), fetchJson('/demo/api/procedures')]);
  descriptions = new Map(catalogue.procedures.map((procedure) => [procedure.memo, procedure.name.vi]));
  payments = open.payments;
  renderList();
} catch (error) {
  message(t('postal.error', { message: error.message }), 'error');
}
