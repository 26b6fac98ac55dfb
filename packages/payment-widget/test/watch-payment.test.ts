import { afterEach, beforeEach, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import type { PaymentResource } from '@motcua/core';
import { isNewerPayment, watchPayment, type PaymentWatchError, type WatchPaymentOptions } from '../src/watch-payment.js';
import { control, newPayment, restorePageVisibility, serverLog, setPageHidden, sleep, waitFor, type ControlBody } from './helpers.js';

interface Recorder {
  updates: PaymentResource[];
  errors: PaymentWatchError[];
  transports: string[];
  recovered: number;
  controller: AbortController;
}

function watch(src: string, options: Partial<WatchPaymentOptions> = {}): Recorder {
  const recorder: Recorder = { updates: [], errors: [], transports: [], recovered: 0, controller: new AbortController() };
  watchPayment(src, {
    signal: recorder.controller.signal,
    pollMinMs: 40,
    pollMaxMs: 200,
    requestTimeoutMs: 400,
    onUpdate: (payment) => recorder.updates.push(payment),
    onError: (error) => recorder.errors.push(error),
    onRecover: () => recorder.recovered++,
    onTransport: (transport) => recorder.transports.push(transport),
    ...options,
  });
  return recorder;
}

const last = (recorder: Recorder) => recorder.updates[recorder.updates.length - 1];

describe('watchPayment', () => {
  const recorders: Recorder[] = [];
  const start = (src: string, options?: Partial<WatchPaymentOptions>) => {
    const recorder = watch(src, options);
    recorders.push(recorder);
    return recorder;
  };
  beforeEach(() => setPageHidden(false));
  afterEach(() => {
    for (const recorder of recorders.splice(0)) recorder.controller.abort();
    restorePageVisibility();
  });

  async function paymentOn(body: ControlBody = {}) {
    return newPayment(body);
  }

  it('should load the payment, then follow SSE to paid and stop', async () => {
    const { id, src } = await paymentOn();
    const recorder = start(src);
    await waitFor(() => recorder.transports.includes('sse'), 'SSE');
    await waitFor(async () => (await serverLog(id)).eventConnections === 1, 'the SSE connection');
    expect(last(recorder)?.status).to.equal('pending');
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'paid over SSE');
    const gets = (await serverLog(id)).gets;
    expect(gets, 'SSE, not polling, brought the update').to.equal(1);
    // Final: later changes are never passed on.
    await control(id, { update: { status: 'pending' } });
    await sleep(150);
    expect(last(recorder)?.status).to.equal('paid');
    expect(recorder.updates.filter((p) => p.status === 'paid')).to.have.length(1);
  });

  it('should share one SSE connection between two watchers of one payment; the other goes on after one stops; the last closes it', async () => {
    const { id, src } = await paymentOn();
    const first = start(src);
    const second = start(src);
    await waitFor(() => first.transports.includes('sse') && second.transports.includes('sse'), 'SSE for both');
    await waitFor(async () => (await serverLog(id)).openStreams === 1, 'the SSE connection');
    await control(id, { update: { amountPaid: 10000 } });
    await waitFor(() => last(first)?.version === 2 && last(second)?.version === 2, 'version 2 for both');
    expect((await serverLog(id)).eventConnections, 'one connection for the two').to.equal(1);
    first.controller.abort();
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(second)?.status === 'paid', 'paid for the one still watching');
    expect(last(first)?.version, 'nothing after it stopped').to.equal(2);
    expect((await serverLog(id)).eventConnections).to.equal(1);
    // The second stopped by itself at paid: it was the last, so the stream is closed.
    await waitFor(async () => (await serverLog(id)).openStreams === 0, 'the stream closed');
  });

  it('should fall back to polling when SSE is blocked (404 on /events)', async () => {
    const { id, src } = await paymentOn({ sse: 'block' });
    const recorder = start(src);
    await waitFor(() => recorder.transports.at(-1) === 'polling', 'the fallback to polling');
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'paid by polling');
    expect((await serverLog(id)).gets).to.be.greaterThan(1);
  });

  it('should fall back to polling when SSE keeps dropping at once', async () => {
    const { id, src } = await paymentOn({ sse: 'drop' });
    const recorder = start(src);
    await waitFor(() => recorder.transports.at(-1) === 'polling', 'the fallback to polling');
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'paid by polling');
  });

  it('should reconnect after an SSE drop, sending Last-Event-ID', async () => {
    const { id, src } = await paymentOn();
    const recorder = start(src);
    await waitFor(async () => (await serverLog(id)).eventConnections === 1, 'the first SSE connection');
    await control(id, { update: { amountPaid: 10000 } }); // version 2 over SSE
    await waitFor(() => last(recorder)?.version === 2, 'version 2');
    await control(id, { dropSse: true });
    await waitFor(async () => (await serverLog(id)).eventConnections === 2, 'the reconnection');
    expect((await serverLog(id)).lastEventIds).to.deep.equal([null, '2']);
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'paid after the reconnection');
    expect(recorder.transports.at(-1)).to.equal('sse');
  });

  it('should treat an SSE stream that pinged and then went silent as dead: check by polling at once, then SSE again', async () => {
    const { id, src } = await paymentOn({ pingEvery: 80 });
    const recorder = start(src, { staleAfterMs: 300 });
    await waitFor(async () => (await serverLog(id)).eventConnections === 1, 'the first SSE connection');
    // Quiet but alive (pings only) for longer than staleAfterMs: nothing else happens.
    await sleep(600);
    expect(recorder.transports).to.deep.equal(['sse']);
    expect((await serverLog(id)).gets).to.equal(1);
    // The link dies without closing; meanwhile the payment moves on.
    await control(id, { silent: true, update: { amountPaid: 10000 } });
    await waitFor(() => last(recorder)?.version === 2, 'version 2, by the check that follows the silence');
    expect(recorder.transports).to.deep.equal(['sse', 'polling', 'sse']);
    expect((await serverLog(id)).gets).to.equal(2);
    await waitFor(async () => (await serverLog(id)).eventConnections === 2, 'SSE again');
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'paid over the new stream');
    expect((await serverLog(id)).gets).to.equal(2);
  });

  it('should not arm the SSE watchdog for a server that sends no pings', async () => {
    const { id, src } = await paymentOn();
    const recorder = start(src, { staleAfterMs: 200 });
    await waitFor(async () => (await serverLog(id)).eventConnections === 1, 'the SSE connection');
    await sleep(600);
    expect(recorder.transports).to.deep.equal(['sse']);
    expect((await serverLog(id)).gets).to.equal(1);
    expect((await serverLog(id)).eventConnections).to.equal(1);
  });

  it('should ignore stale versions, another id and malformed data on SSE (no false paid)', async () => {
    const { id, src } = await paymentOn();
    const recorder = start(src);
    await waitFor(async () => (await serverLog(id)).eventConnections === 1, 'the SSE connection');
    await control(id, { update: { amountPaid: 1000 } });
    await waitFor(() => last(recorder)?.version === 2, 'version 2');
    await control(id, { pushStale: { status: 'paid' } });
    await control(id, { pushOtherId: true });
    await control(id, { pushMalformed: true });
    await waitFor(() => recorder.errors.length >= 2, 'errors for the other id and the malformed message');
    expect(recorder.errors.map((e) => e.code)).to.include.members(['ID_MISMATCH', 'INVALID_JSON']);
    expect(recorder.updates.some((p) => p.status === 'paid')).to.equal(false);
    expect(last(recorder)?.version).to.equal(2);
  });

  for (const [mode, code] of [
    ['500', 'HTTP_ERROR'],
    ['malformed', 'INVALID_JSON'],
    ['other-id', 'ID_MISMATCH'],
    ['invalid', 'INVALID_RESOURCE'],
    ['hang', 'TIMEOUT'],
  ] as const) {
    it(`should report ${code} when the server answers "${mode}", never a false paid, and recover`, async () => {
      const { id, src } = await paymentOn({ sse: 'block' });
      const recorder = start(src);
      await waitFor(() => recorder.updates.length === 1, 'the first load');
      await control(id, { mode });
      await waitFor(() => recorder.errors.some((e) => e.code === code), `a ${code} error`);
      expect(recorder.updates.some((p) => p.status === 'paid')).to.equal(false);
      await control(id, { mode: 'ok', update: { status: 'paid', amountPaid: 50000 } });
      await waitFor(() => last(recorder)?.status === 'paid', 'recovery');
      expect(recorder.recovered).to.be.greaterThan(0);
    });
  }

  it('should retry the first load after failures', async () => {
    const { id, src } = await paymentOn({ mode: '500' });
    const recorder = start(src);
    await waitFor(() => recorder.errors.length >= 2, 'two failed loads');
    expect(recorder.updates).to.have.length(0);
    await control(id, { mode: 'ok' });
    await waitFor(() => recorder.updates.length === 1, 'the load after recovery');
  });

  it('should keep one request in flight while the server hangs, whatever triggers a check', async () => {
    const { id, src } = await paymentOn({ sse: 'block' });
    // Count on the client: the server may see an aborted request's socket close a moment late.
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (...args) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(...args);
      } finally {
        inFlight--;
      }
    };
    const recorder = start(src, { requestTimeoutMs: 300, fetch: countingFetch });
    await waitFor(() => recorder.updates.length === 1, 'the first load');
    await control(id, { mode: 'hang' });
    for (let i = 0; i < 5; i++) {
      window.dispatchEvent(new Event('online'));
      setPageHidden(false);
      await sleep(20);
    }
    await waitFor(() => recorder.errors.filter((e) => e.code === 'TIMEOUT').length >= 2, 'two timeouts');
    expect(maxInFlight).to.equal(1);
    await control(id, { mode: 'ok', update: { status: 'paid', amountPaid: 50000 } });
    await waitFor(() => last(recorder)?.status === 'paid', 'recovery after the hang');
  });

  it('should pause polling while hidden and check at once when visible again', async () => {
    const { id, src } = await paymentOn({ sse: 'block' });
    const recorder = start(src, { pollMinMs: 30, pollMaxMs: 30 });
    await waitFor(() => recorder.updates.length === 1, 'the first load');
    setPageHidden(true);
    await sleep(100); // let any poll already in flight land
    const before = (await serverLog(id)).gets;
    await sleep(300); // ~10 poll intervals
    expect((await serverLog(id)).gets, 'no polls while hidden').to.equal(before);
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    setPageHidden(false);
    await waitFor(() => last(recorder)?.status === 'paid', 'the check on visible');
  });

  it('should check at once when the browser comes back online', async () => {
    const { id, src } = await paymentOn({ sse: 'block' });
    // A long poll delay: only the online event can bring the update within the wait.
    const recorder = start(src, { pollMinMs: 60_000, pollMaxMs: 60_000 });
    await waitFor(() => recorder.updates.length === 1, 'the first load');
    await waitFor(() => recorder.transports.at(-1) === 'polling', 'polling');
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    window.dispatchEvent(new Event('online'));
    await waitFor(() => last(recorder)?.status === 'paid', 'the check on online', 2000);
  });

  it('should back off exponentially with jitter, capped, and restart after a change', async () => {
    const { id, src } = await paymentOn({ sse: 'block', mode: 'ok' });
    const delays: number[] = [];
    const versions: (number | undefined)[] = [];
    const recorder: Recorder = start(src, {
      pollMinMs: 10,
      pollMaxMs: 80,
      random: () => 0.5,
      onSchedule: (ms) => {
        delays.push(ms);
        versions.push(last(recorder)?.version);
      },
    });
    await waitFor(() => delays.length >= 6, 'six scheduled polls');
    // equal jitter with random 0.5: 3/4 of min(80, 10·2^n); the fallback's first check is immediate (0).
    const polls = delays.filter((ms) => ms > 0);
    expect(polls.slice(0, 5)).to.deep.equal([7.5, 15, 30, 60, 60].map(Math.round));
    await control(id, { update: { amountPaid: 1 } });
    await waitFor(() => last(recorder)?.version === 2, 'version 2');
    // The first poll scheduled after version 2 arrived: the backoff restarted.
    expect(delays[versions.indexOf(2)]).to.equal(8);
  });

  it('should take nothing after the signal aborts', async () => {
    const { id, src } = await paymentOn({ sse: 'block' });
    const recorder = start(src);
    await waitFor(() => recorder.updates.length === 1, 'the first load');
    recorder.controller.abort();
    const gets = (await serverLog(id)).gets;
    await control(id, { update: { status: 'paid', amountPaid: 50000 } });
    await sleep(200);
    expect((await serverLog(id)).gets).to.equal(gets);
    expect(recorder.updates).to.have.length(1);
  });
});

describe('isNewerPayment', () => {
  const base = { id: 'a', version: 2, status: 'pending' } as PaymentResource;
  it('should accept only a newer version of the same, non-final payment', () => {
    expect(isNewerPayment(undefined, base)).to.equal(true);
    expect(isNewerPayment(base, { ...base, version: 3 })).to.equal(true);
    expect(isNewerPayment(base, { ...base, version: 2 })).to.equal(false);
    expect(isNewerPayment(base, { ...base, version: 1, status: 'paid' })).to.equal(false);
    expect(isNewerPayment(base, { ...base, id: 'b', version: 9 })).to.equal(false);
    expect(isNewerPayment({ ...base, status: 'paid' }, { ...base, version: 9, status: 'pending' })).to.equal(false);
  });
});
