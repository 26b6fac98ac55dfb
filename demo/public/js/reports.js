// Reports: today's reconciliation and this month's satisfaction, fetched through the portal backend
// (the reports need the API key), drawn as tables and hand-made SVG bar charts, with CSV links.
import { datePicker } from './date-picker.js';
import { el, fetchJson, formatTime, formatVnd, initLang, labelColumns, onLangChange, t } from './i18n.js';

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
    'totals.refunded': 'Đã hoàn trả công dân',
    'totals.cash': 'Thu tiền mặt tại quầy',
    'totals.count': 'Số giao dịch',
    'totals.lead': 'Đã nhận {received} qua {count} giao dịch, gồm:',
    'totals.leadNone': 'Chưa nhận khoản chuyển nào trong ngày.',
    'totals.matchedLine': 'Khớp với khoản thu: {matched}, trong đó nộp thừa {surplus} (đã tính vào “Phải hoàn trả”).',
    'tx.line': '{amount} lúc {time} — {class} ({provider}, mã GD {id})',
    'provider.generic': 'webhook ngân hàng',
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
    'class.refunded': 'Đã hoàn trả',
    'level.neutral_only': 'Bình thường',
  },
  en: {
    'reports.title': 'Reports — motcua',
    'reports.h1': 'Reconciliation and satisfaction reports',
    'reports.lead':
      'Daily reconciliation: each payment with its bank transactions, transfers that matched nothing (to handle by hand), and the total to deposit to the State Treasury. Monthly satisfaction per counter, officer and procedure.',
    'reports.rec': 'Daily reconciliation',
    'reports.date': 'Reconciliation date',
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
    'reports.month': 'Report month',
    'reports.desk': 'Handle by hand',
    'reports.desk.lead':
      'Attach an unmatched or late transfer to a payment, record a refund, record a cash payment, or reverse a wrong action. Every action is recorded: who, when, why.',
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
    'totals.refunded': 'Refunded to citizens',
    'totals.cash': 'Cash at the counter',
    'totals.count': 'Transactions',
    'totals.lead': '{received} received in {count} transfers:',
    'totals.leadNone': 'No transfer received on this day.',
    'totals.matchedLine': 'Matched to payments: {matched}, of which {surplus} overpaid (counted in “Refunds owed”).',
    'tx.line': '{amount} at {time} — {class} ({provider}, transaction {id})',
    'provider.generic': 'bank webhook',
    'picker.day': 'Day',
    'picker.month': 'Month',
    'picker.year': 'Year',
    'picker.month2': 'Month',
    'picker.year2': 'Year',
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
    'class.refunded': 'Refunded',
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

/** The chart's drawing width: its width on screen, so that its 12 px labels stay 12 px on a phone. */
function chartWidth(chart) {
  return Math.max(280, Math.min(704, Math.round(chart.getBoundingClientRect().width) || 640));
}

/** The provider as the officer knows it: the aggregator's brand, or "bank webhook" for the generic one. */
function providerName(provider) {
  return provider === 'generic' ? t('provider.generic') : ({ sepay: 'SePay', casso: 'Casso', payos: 'payOS' }[provider] ?? provider);
}

/** One bar per hour (Vietnam time, 7:00–18:00 and any other hour with money), labelled with its amount. */
function drawReconciliationChart() {
  const chart = $('rec-chart');
  const width = chartWidth(chart);
  const title = svg('title', { id: 'rec-chart-title' }, t('chart.rec', { date: reconciliation.date }));
  chart.replaceChildren(title);
  const sums = new Map(Array.from({ length: 12 }, (_, i) => [7 + i, 0]));
  for (const tx of reconciliation.transactions) {
    const hour = new Date(Date.parse(tx.receivedAt) + 7 * 3600_000).getUTCHours();
    sums.set(hour, (sums.get(hour) ?? 0) + tx.amount);
  }
  const hours = [...sums.keys()].sort((a, b) => a - b);
  const max = Math.max(...sums.values());
  const row = 22;
  const left = 44;
  const labelSpace = 104;
  const height = hours.length * row + 8;
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  chart.append(svg('line', { x1: left, y1: 4, x2: left, y2: height - 4, stroke: '#4d4d4d' }));
  hours.forEach((hour, i) => {
    const value = sums.get(hour);
    const y = 4 + i * row;
    const w = max ? Math.round((value / max) * (width - left - labelSpace)) : 0;
    chart.append(svg('text', { x: left - 8, y: y + 15, 'text-anchor': 'end' }, `${hour}h`));
    if (w) chart.append(svg('rect', { x: left, y: y + 3, width: w, height: row - 6, fill: '#0b57d0' }));
    if (value) chart.append(svg('text', { x: left + w + 6, y: y + 15 }, formatVnd(value)));
  });
  if (!max) chart.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, t('chart.empty')));
}

function renderReconciliation() {
  if (!reconciliation) return;
  const totals = reconciliation.totals;
  // received = toDeposit + refundOwed + unmatched + pending (the gateway's README, "Reconciliation"):
  // one sentence for the whole, one tile per part, and what matched the payments under it.
  $('rec-totals').replaceChildren(
    el(
      'p',
      { class: 'totals-lead' },
      totals.transactionCount ? t('totals.lead', { received: formatVnd(totals.received), count: totals.transactionCount }) : t('totals.leadNone'),
    ),
    el(
      'dl',
      {},
      ...['toDeposit', 'refundOwed', 'unmatched', 'pending'].map((key) =>
        el('div', { class: `tile tile-${key}` }, el('dt', {}, t(`totals.${key}`)), el('dd', { dataset: { total: key } }, formatVnd(totals[key]))),
      ),
    ),
    el('p', { class: 'totals-matched' }, t('totals.matchedLine', { matched: formatVnd(totals.matched), surplus: formatVnd(totals.surplus) })),
  );
  $('rec-payments').tBodies[0].replaceChildren(
    ...reconciliation.payments.map((p) =>
      el(
        'tr',
        { dataset: { code: p.code } },
        el('td', {}, el('span', { class: 'code' }, p.code)),
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
            t('tx.line', {
              amount: formatVnd(tx.amount),
              time: formatTime(tx.receivedAt),
              class: t(`class.${tx.class}`),
              provider: providerName(tx.provider),
              id: tx.transactionId,
            }),
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
        el('td', {}, el('span', { class: 'code' }, tx.transactionId), el('br'), providerName(tx.provider)),
        el('td', { class: 'num' }, formatVnd(tx.class === 'unmatched' ? tx.amount : tx.refundOwed)),
        el('td', {}, tx.memo),
        el('td', {}, t(`class.${tx.class}`)),
        el('td', {}, t(`reason.${tx.reason ?? 'surplus'}`)),
      ),
    ),
  );
  labelColumns($('rec-payments'));
  labelColumns($('rec-unmatched'));
  drawReconciliationChart();
}

/** One stacked bar per counter (positive / neutral / negative share of the answers), its name above it. */
function drawSatisfactionChart() {
  const chart = $('sat-chart');
  const width = chartWidth(chart);
  chart.replaceChildren(svg('title', { id: 'sat-chart-title' }, t('chart.sat', { month: satisfaction.month })));
  const groups = satisfaction.byCounter;
  const row = 48;
  const height = Math.max(groups.length, 1) * row + 8;
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (!groups.length) {
    chart.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, t('chart.empty')));
    return;
  }
  const barWidth = width - 56;
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
    const y = 4 + i * row;
    chart.append(svg('text', { x: 0, y: y + 14 }, group.name ?? group.key));
    let x = 0;
    for (const [tone, colour] of [
      ['positive', '#146c2e'],
      ['neutral', '#8a5a00'],
      ['negative', '#b3261e'],
    ]) {
      const w = Math.round((counts[tone] / total) * barWidth);
      if (w) chart.append(svg('rect', { x, y: y + 20, width: w, height: 20, fill: colour }));
      x += w;
    }
    chart.append(svg('text', { x: width, y: y + 35, 'text-anchor': 'end' }, `${Math.round((counts.positive / total) * 100)}%`));
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
  labelColumns($('sat-table'));
  drawSatisfactionChart();
}

let datePick;
let monthPick;

async function loadReconciliation() {
  const date = datePick.value;
  // The desk lists the same day as the report (its own picker is hidden: the page's is in Vietnamese).
  $('desk').date = date;
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
  const month = monthPick.value;
  $('sat-csv').href = `/demo/api/reports/satisfaction?month=${month}&format=csv`;
  try {
    satisfaction = await fetchJson(`/demo/api/reports/satisfaction?month=${month}`);
    showError();
    renderSatisfaction();
  } catch (error) {
    showError(error);
  }
}

datePick = datePicker({ day: $('date-day'), month: $('date-month'), year: $('date-year') }, vietnamToday(), loadReconciliation);
monthPick = datePicker({ month: $('month-month'), year: $('month-year') }, vietnamToday().slice(0, 7), loadSatisfaction);
// An officer resolved something at the desk: the day's figures change.
$('desk').addEventListener('qr-exceptions-desk-action', () => void loadReconciliation());
onLangChange(() => {
  renderReconciliation();
  renderSatisfaction();
});
// The charts are drawn at their width on screen (labels stay readable on a phone): redraw when it changes.
let drawnWidth = 0;
new ResizeObserver(() => {
  const width = chartWidth($('rec-chart'));
  if (width === drawnWidth) return;
  drawnWidth = width;
  if (reconciliation) drawReconciliationChart();
  if (satisfaction) drawSatisfactionChart();
}).observe($('rec-chart'));
await Promise.all([loadReconciliation(), loadSatisfaction()]);
document.body.dataset.loaded = 'true';
