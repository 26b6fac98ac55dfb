// Reports: today's reconciliation and this month's satisfaction, fetched through the portal backend
// (the reports need the API key), drawn as tables and hand-made SVG bar charts, with CSV links.
import { currentLang, el, fetchJson, formatTime, formatVnd, initLang, onLangChange, t } from './i18n.js';

initLang({
  vi: {
    'reports.title': 'Báo cáo — motcua',
    'totals.received': 'Tổng tiền nhận',
    'totals.matched': 'Khớp với khoản thu',
    'totals.surplus': 'Nộp thừa (cần hoàn trả)',
    'totals.toDeposit': 'Nộp Kho bạc Nhà nước',
    'totals.refundOwed': 'Phải hoàn trả công dân',
    'totals.unmatched': 'Không khớp (xử lý thủ công)',
    'totals.pending': 'Đang chờ (khoản thu chưa đóng)',
    'totals.count': 'Số giao dịch',
    'sat.total': 'Tổng số lượt đánh giá: {n}',
    'dim.counter': 'Quầy',
    'dim.officer': 'Cán bộ',
    'dim.procedure': 'Thủ tục',
    'chart.rec': 'Số tiền đã nhận theo giờ trong ngày {date}',
    'chart.sat': 'Tỉ lệ hài lòng theo quầy, tháng {month}',
    'chart.empty': 'Chưa có dữ liệu',
    'status.pending': 'Chờ thanh toán',
    'status.paid': 'Đã thanh toán',
    'status.underpaid': 'Thiếu',
    'status.expired': 'Hết hạn',
    'status.cancelled': 'Đã hủy',
    'reason.no_code': 'Không có mã thanh toán',
    'reason.unknown_code': 'Mã không tồn tại',
    'reason.payment_closed': 'Khoản thu đã đóng',
    'reason.other_account': 'Vào tài khoản khác',
    'reason.not_incoming': 'Không phải tiền vào',
    'reason.invalid_field': 'Thông báo thiếu/sai trường',
    'reason.malformed_body': 'Thông báo không đọc được',
    'reason.no_transactions': 'Thông báo không có giao dịch',
    'reason.unexpected_fields': 'Dữ liệu payOS sai cấu trúc',
    'reason.ambiguous_signature': 'Chữ ký payOS không rõ nghĩa',
    'reason.not_success': 'Giao dịch không thành công',
    'reason.not_vnd': 'Không phải VND',
    'reason.surplus': 'Nộp thừa',
    'class.fee_paid': 'Lệ phí đã nộp',
    'class.refund_owed': 'Phải hoàn trả',
    'class.unmatched': 'Không khớp',
    'class.pending': 'Đang chờ',
    'level.neutral_only': 'Bình thường',
  },
  en: {
    'reports.title': 'Reports — motcua',
    'reports.h1': 'Reconciliation and satisfaction reports',
    'reports.lead':
      'Daily reconciliation: each payment with its bank transactions, transfers that matched nothing (to handle by hand), and the total to deposit to the State Treasury. Monthly satisfaction per counter, officer and procedure.',
    'reports.rec': 'Daily reconciliation',
    'reports.date': 'Date',
    'reports.csv': 'Download CSV',
    'reports.csv2': 'Download CSV',
    'reports.legend.amount': 'Amount received per hour',
    'reports.payments': 'Payments and bank transactions',
    'reports.code': 'Code',
    'reports.dossier': 'Dossier',
    'reports.procedure': 'Procedure',
    'reports.amount': 'Due',
    'reports.received': 'Received',
    'reports.status': 'Status',
    'reports.transactions': 'Transactions',
    'reports.unmatched': 'Refunds owed and unmatched transfers (to handle by hand)',
    'reports.class': 'Class',
    'reports.time': 'Time',
    'reports.txid': 'Transaction id',
    'reports.amount2': 'Amount',
    'reports.memo': 'Memo',
    'reports.reason': 'Reason',
    'reports.sat': 'Satisfaction this month',
    'reports.month': 'Month',
    'reports.satTable': 'Ratings per counter, officer and procedure',
    'reports.dimension': 'Group',
    'reports.key': 'Name',
    'reports.count': 'Ratings',
    'level.positive': 'Very satisfied / satisfied',
    'level.neutral': 'Neutral',
    'level.negative': 'Dissatisfied',
    'level.very_satisfied': 'Very satisfied',
    'level.satisfied': 'Satisfied',
    'level.neutral_only': 'Neutral',
    'level.dissatisfied': 'Dissatisfied',
    'level.very_dissatisfied': 'Very dissatisfied',
    'totals.received': 'Total received',
    'totals.matched': 'Matched to payments',
    'totals.surplus': 'Overpaid (to refund)',
    'totals.toDeposit': 'To deposit to the State Treasury',
    'totals.refundOwed': 'Refunds owed to citizens',
    'totals.unmatched': 'Unmatched (to handle by hand)',
    'totals.pending': 'Pending (payments still open)',
    'totals.count': 'Transactions',
    'sat.total': 'Ratings in total: {n}',
    'dim.counter': 'Counter',
    'dim.officer': 'Officer',
    'dim.procedure': 'Procedure',
    'chart.rec': 'Amount received per hour on {date}',
    'chart.sat': 'Satisfaction per counter, {month}',
    'chart.empty': 'No data yet',
    'status.pending': 'Pending',
    'status.paid': 'Paid',
    'status.underpaid': 'Underpaid',
    'status.expired': 'Expired',
    'status.cancelled': 'Cancelled',
    'reason.no_code': 'No payment code',
    'reason.unknown_code': 'Unknown code',
    'reason.payment_closed': 'Payment closed',
    'reason.other_account': 'Into another account',
    'reason.not_incoming': 'Not incoming money',
    'reason.invalid_field': 'Notification with a bad field',
    'reason.malformed_body': 'Unreadable notification',
    'reason.no_transactions': 'Notification without transactions',
    'reason.unexpected_fields': 'payOS data with unexpected fields',
    'reason.ambiguous_signature': 'Ambiguous payOS signature',
    'reason.not_success': 'Not a successful payment',
    'reason.not_vnd': 'Not VND',
    'reason.surplus': 'Overpaid',
    'class.fee_paid': 'Fee paid',
    'class.refund_owed': 'Refund owed',
    'class.unmatched': 'Unmatched',
    'class.pending': 'Pending',
  },
});

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const LEVELS = ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied'];
const vietnamToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
let reconciliation;
let satisfaction;

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(error) {
  const message = $('reports-message');
  message.hidden = !error;
  message.textContent = error ? error.message : '';
}

/** Bars of money received per hour (Vietnam time), 7:00–18:00. */
function drawReconciliationChart() {
  const chart = $('rec-chart');
  const title = svg('title', { id: 'rec-chart-title' }, t('chart.rec', { date: reconciliation.date }));
  chart.replaceChildren(title);
  const hours = Array.from({ length: 12 }, (_, i) => 7 + i);
  const sums = new Map(hours.map((h) => [h, 0]));
  const all = reconciliation.transactions;
  for (const tx of all) {
    const hour = new Date(Date.parse(tx.receivedAt) + 7 * 3600_000).getUTCHours();
    sums.set(hour, (sums.get(hour) ?? 0) + tx.amount);
  }
  const max = Math.max(...hours.map((h) => sums.get(h) ?? 0));
  const left = 40,
    bottom = 190,
    height = 160,
    width = 580 / hours.length;
  chart.append(svg('line', { x1: left, y1: bottom, x2: 620, y2: bottom, stroke: '#4d4d4d' }));
  hours.forEach((hour, i) => {
    const value = sums.get(hour) ?? 0;
    const h = max ? Math.round((value / max) * height) : 0;
    const x = left + i * width + 6;
    if (h) chart.append(svg('rect', { x, y: bottom - h, width: width - 12, height: h, fill: '#0b57d0' }, undefined));
    chart.append(svg('text', { x: x + (width - 12) / 2, y: bottom + 16, 'text-anchor': 'middle' }, `${hour}h`));
    if (value)
      chart.append(
        svg(
          'text',
          { x: x + (width - 12) / 2, y: bottom - h - 4, 'text-anchor': 'middle' },
          new Intl.NumberFormat(currentLang() === 'vi' ? 'vi-VN' : 'en-US', { notation: 'compact' }).format(value),
        ),
      );
  });
  if (!max) chart.append(svg('text', { x: 320, y: 100, 'text-anchor': 'middle' }, t('chart.empty')));
}

function renderReconciliation() {
  if (!reconciliation) return;
  const totals = reconciliation.totals;
  $('rec-totals').replaceChildren(
    // received = toDeposit + refundOwed + unmatched + pending (the gateway's README, "Reconciliation").
    ...['received', 'toDeposit', 'refundOwed', 'unmatched', 'pending', 'matched', 'surplus']
      .map((key) => [key, totals[key]])
      .flatMap(([key, value]) => [el('dt', {}, t(`totals.${key}`)), el('dd', { dataset: { total: key } }, formatVnd(value))]),
    el('dt', {}, t('totals.count')),
    el('dd', { dataset: { total: 'count' } }, String(totals.transactionCount)),
  );
  $('rec-payments').tBodies[0].replaceChildren(
    ...reconciliation.payments.map((p) =>
      el(
        'tr',
        { dataset: { code: p.code } },
        el('td', {}, p.code),
        el('td', {}, p.dossier),
        el('td', {}, p.procedure ?? p.purpose),
        el('td', { class: 'num' }, formatVnd(p.amount)),
        el('td', { class: 'num' }, formatVnd(p.amountPaid)),
        el('td', { class: `status-${p.status}` }, t(`status.${p.status}`)),
        el(
          'td',
          {},
          ...p.transactions.flatMap((tx, i) => [
            i ? el('br') : '',
            `${tx.provider} ${tx.transactionId}: ${formatVnd(tx.amount)} (${formatTime(tx.receivedAt)}) — ${t(`class.${tx.class}`)}`,
          ]),
        ),
      ),
    ),
  );
  $('rec-unmatched').tBodies[0].replaceChildren(
    // Refunds first (a surplus shows only the part owed back), then the money to match by hand.
    ...[...reconciliation.refunds, ...reconciliation.unmatched].map((tx) =>
      el(
        'tr',
        { dataset: { class: tx.class } },
        el('td', {}, formatTime(tx.receivedAt)),
        el('td', {}, `${tx.provider} ${tx.transactionId}`),
        el('td', { class: 'num' }, formatVnd(tx.class === 'unmatched' ? tx.amount : tx.refundOwed)),
        el('td', {}, tx.memo),
        el('td', {}, t(`class.${tx.class}`)),
        el('td', {}, t(`reason.${tx.reason ?? 'surplus'}`)),
      ),
    ),
  );
  drawReconciliationChart();
}

/** One stacked bar per counter: positive / neutral / negative share of the answers. */
function drawSatisfactionChart() {
  const chart = $('sat-chart');
  chart.replaceChildren(svg('title', { id: 'sat-chart-title' }, t('chart.sat', { month: satisfaction.month })));
  const groups = satisfaction.byCounter;
  if (!groups.length) {
    chart.append(svg('text', { x: 320, y: 80, 'text-anchor': 'middle' }, t('chart.empty')));
    return;
  }
  const rowHeight = 140 / Math.max(groups.length, 3);
  groups.forEach((group, i) => {
    const counts = { positive: 0, neutral: 0, negative: 0 };
    for (const levels of Object.values(group.questions)) {
      for (const [level, { count }] of Object.entries(levels)) {
        if (level === 'very_satisfied' || level === 'satisfied') counts.positive += count;
        else if (level === 'neutral') counts.neutral += count;
        else if (level === 'dissatisfied' || level === 'very_dissatisfied') counts.negative += count;
      }
    }
    const total = counts.positive + counts.neutral + counts.negative || 1;
    const y = 10 + i * rowHeight;
    chart.append(svg('text', { x: 0, y: y + rowHeight / 2 + 4 }, group.name ?? group.key));
    let x = 200;
    for (const [tone, colour] of [
      ['positive', '#146c2e'],
      ['neutral', '#8a5a00'],
      ['negative', '#b3261e'],
    ]) {
      const w = Math.round((counts[tone] / total) * 380);
      if (w) chart.append(svg('rect', { x, y, width: w, height: rowHeight - 8, fill: colour }));
      x += w;
    }
    chart.append(svg('text', { x: 590, y: y + rowHeight / 2 + 4 }, `${Math.round((counts.positive / total) * 100)}%`));
  });
}

function renderSatisfaction() {
  if (!satisfaction) return;
  $('sat-total').textContent = t('sat.total', { n: satisfaction.total });
  const rows = [];
  for (const [dimension, groups] of [
    ['counter', satisfaction.byCounter],
    ['officer', satisfaction.byOfficer],
    ['procedure', satisfaction.byProcedure],
  ]) {
    for (const group of groups) {
      const levels = {};
      for (const answers of Object.values(group.questions))
        for (const [level, { count }] of Object.entries(answers)) levels[level] = (levels[level] ?? 0) + count;
      rows.push(
        el(
          'tr',
          { dataset: { dimension, key: group.key } },
          el('td', {}, t(`dim.${dimension}`)),
          el('td', {}, group.name ?? group.key),
          el('td', { class: 'num' }, String(group.count)),
          ...LEVELS.map((level) => el('td', { class: 'num' }, String(levels[level] ?? 0))),
        ),
      );
    }
  }
  $('sat-table').tBodies[0].replaceChildren(...rows);
  drawSatisfactionChart();
}

async function loadReconciliation() {
  const date = $('date').value || vietnamToday();
  $('rec-csv').href = `/demo/api/reports/reconciliation?date=${date}&format=csv`;
  try {
    reconciliation = await fetchJson(`/demo/api/reports/reconciliation?date=${date}`);
    showError();
    renderReconciliation();
  } catch (error) {
    showError(error);
  }
}

async function loadSatisfaction() {
  const month = $('month').value || vietnamToday().slice(0, 7);
  $('sat-csv').href = `/demo/api/reports/satisfaction?month=${month}&format=csv`;
  try {
    satisfaction = await fetchJson(`/demo/api/reports/satisfaction?month=${month}`);
    showError();
    renderSatisfaction();
  } catch (error) {
    showError(error);
  }
}

$('date').value = vietnamToday();
$('month').value = vietnamToday().slice(0, 7);
$('date').addEventListener('change', loadReconciliation);
$('month').addEventListener('change', loadSatisfaction);
onLangChange(() => {
  renderReconciliation();
  renderSatisfaction();
});
await Promise.all([loadReconciliation(), loadSatisfaction()]);
document.body.dataset.loaded = 'true';
