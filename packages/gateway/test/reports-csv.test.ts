// The reports' CSV files, byte for byte: named columns never shift a cell, the formula guard (a text
// cell starting with = + - @ gets a leading `'`), quoting, the BOM and CRLF line ends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provinceReconciliationCsv, provinceSatisfactionCsv, reconciliationCsv, reconciliationTotals, satisfactionCsv } from '../src/reports.js';

const tx = (over: Record<string, unknown>) =>
  ({
    id: '7',
    provider: 'sepay',
    transactionId: 'T1',
    amount: 10000,
    surplus: 500,
    memo: '=HYPERLINK("x")',
    bankReference: '+FT1',
    account: '-123',
    receivedAt: '2026-01-01T00:00:00.000Z',
    status: 'matched',
    reason: null,
    paymentId: 'p1',
    class: 'fee_paid',
    toDeposit: 9500,
    refundOwed: 500,
    refunded: 0,
    duplicateOf: null,
    ...over,
  }) as any;
const t1 = tx({});
const t2 = tx({
  id: '8',
  status: 'unmatched',
  reason: 'no_code',
  paymentId: null,
  class: 'unmatched',
  memo: '@SUM(1,2)\nx',
  bankReference: null,
  account: null,
  toDeposit: 0,
  refundOwed: 0,
});
const t3 = tx({ id: '9', status: 'duplicate', class: 'duplicate', duplicateOf: { provider: 'casso', transactionId: 'C"1' } });
const totals = reconciliationTotals([t1, t2, t3]);
const report: any = {
  date: '2026-01-01',
  unit: 'u',
  payments: [
    {
      id: 'p1',
      code: 'MC1',
      dossier: 'HS,1',
      counter: 'C1',
      procedure: null,
      purpose: '-Lệ phí',
      amount: 9500,
      amountPaid: 10000,
      status: 'paid',
      createdAt: 'x',
      paidAt: null,
      transactions: [t1],
    },
    {
      id: 'p2',
      code: 'MC2',
      dossier: 'HS2',
      counter: 'C2',
      procedure: 'P',
      purpose: 'x',
      amount: 1,
      amountPaid: 0,
      status: 'pending',
      createdAt: 'x',
      paidAt: null,
      transactions: [],
    },
  ],
  transactions: [t1, t2],
  unmatched: [t2],
  refunds: [t1],
  duplicates: [t3],
  adjustments: [
    {
      id: 'a1',
      kind: 'cash',
      paymentId: 'p2',
      transferId: null,
      amount: 1,
      reference: 'BL-1',
      refundDate: null,
      reason: '=why',
      officer: 'CB',
      apiKey: 'key:1',
      createdAt: 'y',
      reverses: null,
      reversedBy: 'a2',
    },
    {
      id: 'a2',
      kind: 'reversal',
      paymentId: 'p9',
      transferId: '7',
      amount: 1,
      reference: null,
      refundDate: '2026-01-02',
      reason: 'r',
      officer: 'CB',
      apiKey: 'key:1',
      createdAt: 'y',
      reverses: 'a1',
      reversedBy: null,
    },
    {
      id: 'a3',
      kind: 'refund',
      paymentId: null,
      transferId: '8',
      amount: 3,
      reference: null,
      refundDate: null,
      reason: 'r',
      officer: 'CB',
      apiKey: 'key:1',
      createdAt: 'y',
      reverses: null,
      reversedBy: null,
    },
  ],
  totals,
};
const written = [
  reconciliationCsv(report),
  provinceReconciliationCsv({
    date: 'd',
    units: [
      { unit: 'a', name: '=A', totals },
      { unit: 'b', name: 'B,b', totals },
    ],
    noUnit: { totals, transactions: [] },
    totals,
  }),
  provinceSatisfactionCsv({
    month: 'm',
    total: 3,
    units: [
      {
        rank: 1,
        unit: 'a',
        name: '+A',
        ratings: 2,
        score: 75,
        indicators: {
          attitude: { indicator: 7, answers: 2, meanPoints: 1.5, satisfiedPercent: 100 },
          overall: { indicator: 11, answers: 1, meanPoints: 0, satisfiedPercent: 0 },
        },
      },
      { rank: null, unit: 'b', name: 'B', ratings: 0, score: null, indicators: {} },
    ],
  } as any),
  satisfactionCsv({
    month: 'm',
    unit: 'u',
    total: 2,
    byCounter: [{ key: 'C1', name: 'Q', count: 2, questions: { attitude: { satisfied: { count: 1, percent: 50 }, '-x': { count: 1, percent: 50 } } } }],
    byOfficer: [{ key: '(none)', count: 2, questions: {} }],
    byProcedure: [{ key: '@p', count: 1, questions: { q: { a: { count: 1, percent: 100 } } } }],
  } as any),
];

const expected = [
  [
    'kind,payment_code,dossier,counter,procedure,purpose,amount_due,amount_paid,payment_status,provider,transaction_id,transaction_amount,surplus,received_at,memo,reason,class,to_deposit,refund_owed,account,bank_reference,transaction_status,duplicate_of,refunded,transfer_id',
    'payment,MC1,"HS,1",C1,,\'-Lệ phí,9500,10000,paid,sepay,T1,10000,500,2026-01-01T00:00:00.000Z,"\'=HYPERLINK(""x"")",,fee_paid,9500,500,\'-123,\'+FT1,matched,,0,7',
    'payment,MC2,HS2,C2,P,x,1,0,pending,,,,,,,,,,,,,,,,',
    'unmatched,,,,,,,,,sepay,T1,10000,0,2026-01-01T00:00:00.000Z,"\'@SUM(1,2)\nx",no_code,unmatched,0,0,,,unmatched,,0,8',
    'duplicate,,,,,,,,,sepay,T1,10000,0,2026-01-01T00:00:00.000Z,"\'=HYPERLINK(""x"")",,duplicate,9500,500,\'-123,\'+FT1,duplicate,"casso C""1",0,9',
    "adjustment,MC2,,,,,,,,desk,a1,1,,y,cash (reversed by a2); CB (key:1),'=why,cash,,,,BL-1,,,,",
    'adjustment,p9,,,,,,,,desk,a2,1,,y,reversal of a1; CB (key:1); refunded on 2026-01-02,r,reversal,,,,,,,,7',
    'adjustment,,,,,,,,,desk,a3,3,,y,refund; CB (key:1),r,refund,,,,,,,,8',
    'total,received,,,,,20000,,,,,,,,,,,,,,,,,,',
    'total,matched,,,,,10000,,,,,,,,,,,,,,,,,,',
    'total,surplus,,,,,500,,,,,,,,,,,,,,,,,,',
    'total,toDeposit,,,,,9500,,,,,,,,,,,,,,,,,,',
    'total,refundOwed,,,,,500,,,,,,,,,,,,,,,,,,',
    'total,refunded,,,,,0,,,,,,,,,,,,,,,,,,',
    'total,unmatched,,,,,10000,,,,,,,,,,,,,,,,,,',
    'total,pending,,,,,0,,,,,,,,,,,,,,,,,,',
    'total,cash,,,,,0,,,,,,,,,,,,,,,,,,',
    'total,transactionCount,,,,,2,,,,,,,,,,,,,,,,,,',
    'total,unmatchedCount,,,,,1,,,,,,,,,,,,,,,,,,',
    'total,refundCount,,,,,1,,,,,,,,,,,,,,,,,,',
    'total,pendingCount,,,,,0,,,,,,,,,,,,,,,,,,',
    'total,rejectedCount,,,,,0,,,,,,,,,,,,,,,,,,',
    'total,duplicateCount,,,,,1,,,,,,,,,,,,,,,,,,',
    'total,adjustmentCount,,,,,0,,,,,,,,,,,,,,,,,,',
  ],
  [
    'kind,unit,name,received,matched,surplus,to_deposit,refund_owed,refunded,unmatched,pending,cash,transaction_count,unmatched_count,refund_count,pending_count,rejected_count,duplicate_count,adjustment_count',
    "unit,a,'=A,20000,10000,500,9500,500,0,10000,0,0,2,1,1,0,0,1,0",
    'unit,b,"B,b",20000,10000,500,9500,500,0,10000,0,0,2,1,1,0,0,1,0',
    'no_unit,,,20000,10000,500,9500,500,0,10000,0,0,2,1,1,0,0,1,0',
    'total,,,20000,10000,500,9500,500,0,10000,0,0,2,1,1,0,0,1,0',
  ],
  [
    'rank,unit,name,ratings,score,indicator,question,answers,mean_points,satisfied_percent',
    "1,a,'+A,2,75,,score,,,",
    "1,a,'+A,2,75,7,attitude,2,1.5,100",
    "1,a,'+A,2,75,11,overall,1,0,0",
    ',b,B,0,,,score,,,',
  ],
  ['dimension,key,ratings,question,level,count,percent', 'counter,C1,2,attitude,satisfied,1,50', "counter,C1,2,attitude,'-x,1,50", "procedure,'@p,1,q,a,1,100"],
];

describe('report CSV files', () => {
  it('should write each report as before, cell for cell', () => {
    assert.equal(written.length, expected.length);
    written.forEach((csv, index) => assert.equal(csv, `\uFEFF${expected[index]!.join('\r\n')}\r\n`));
  });
});
