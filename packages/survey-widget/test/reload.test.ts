import { afterEach, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import type { QrSurvey } from '../src/qr-survey.js';
import { control, deleteDatabase, newEndpoint, stats, uniqueName, until } from './helpers.js';

describe('<qr-survey> across a real page reload', () => {
  let frame: HTMLIFrameElement | undefined;
  const queueName = uniqueName('reload');
  afterEach(async () => {
    frame?.remove();
    await deleteDatabase(queueName);
  });

  function loaded(target: HTMLIFrameElement): Promise<void> {
    return new Promise((resolve) => target.addEventListener('load', () => resolve(), { once: true }));
  }

  async function survey(): Promise<QrSurvey> {
    let el: QrSurvey | null | undefined;
    await until(() => Boolean((el = frame!.contentDocument?.querySelector('qr-survey'))?.shadowRoot?.querySelector('[role="radio"]')), 10_000, 'the kiosk');
    return el!;
  }

  /** Taps a score and waits until the rating is stored (queued) and the kiosk has reset. */
  async function rate(el: QrSurvey, option: number): Promise<string> {
    const queued = new Promise<string>((resolve) => el.addEventListener('qr-survey-queued', (event) => resolve(event.detail.key), { once: true }));
    const reset = new Promise((resolve) => el.addEventListener('qr-survey-reset', resolve, { once: true }));
    el.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')[option]!.click();
    const key = await queued;
    await reset;
    await el.updateComplete;
    return key;
  }

  it('should deliver exactly 100 ratings made while the endpoint was down, with a reload half-way', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    frame = document.createElement('iframe');
    const src = `/packages/survey-widget/test/fixtures/kiosk-frame.html?${new URLSearchParams({ endpoint: endpoint.url, queue: queueName })}`;
    const firstLoad = loaded(frame);
    frame.src = src;
    document.body.append(frame);
    await firstLoad;
    const keys: string[] = [];
    let el = await survey();
    for (let n = 0; n < 50; n++) keys.push(await rate(el, n % 2));
    const reloaded = loaded(frame);
    frame.contentWindow!.location.reload();
    await reloaded;
    el = await survey();
    for (let n = 50; n < 100; n++) keys.push(await rate(el, n % 2));
    expect(new Set(keys).size).to.equal(100);
    expect((await stats(endpoint.name)).stored).to.equal(0);

    await control(endpoint.name, { mode: 'up' });
    frame.contentWindow!.dispatchEvent(new Event('online'));
    await until(async () => (await stats(endpoint.name)).stored >= 100, 15_000, '100 ratings to arrive');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const server = await stats(endpoint.name);
    expect(server.stored).to.equal(100);
    expect(server.keys).to.have.members(keys);
    expect(server.log.filter((entry) => entry.outcome === 201)).to.have.length(100);
    const answers = server.bodies.map((body) => (body.answers as Record<string, string>).attitude);
    expect(answers.filter((a) => a === 'very_satisfied')).to.have.length(50);
    expect(answers.filter((a) => a === 'satisfied')).to.have.length(50);
  });
});
