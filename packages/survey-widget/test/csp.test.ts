import { after, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import type { QrSurvey } from '../src/qr-survey.js';
import { deleteDatabase, newEndpoint, stats, uniqueName, until } from './helpers.js';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

describe('<qr-survey> under a strict CSP', () => {
  const queueName = uniqueName('csp');
  let frame: HTMLIFrameElement | undefined;
  after(async () => {
    frame?.remove();
    await deleteDatabase(queueName);
  });

  it('should render, rate and draw its QR with no style or image violations', async () => {
    const endpoint = newEndpoint();
    frame = document.createElement('iframe');
    const load = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
    frame.src = `/packages/survey-widget/test/fixtures/csp-frame.html?${new URLSearchParams({ endpoint: endpoint.url, queue: queueName })}`;
    document.body.append(frame);
    await load;
    const win = frame.contentWindow as Window & { __violations: Violation[] };
    let kiosk: QrSurvey | undefined;
    let qr: QrSurvey | undefined;
    await until(
      () => {
        [kiosk, qr] = [...frame!.contentDocument!.querySelectorAll('qr-survey')];
        return Boolean(kiosk?.shadowRoot?.querySelector('[role="radio"]') && qr?.shadowRoot?.querySelector('[part~="qr"]'));
      },
      10_000,
      'both surveys to render',
    );
    kiosk!.shadowRoot!.querySelector<HTMLElement>('[role="radio"]')!.click();
    await until(async () => (await stats(endpoint.name)).stored === 1, 5000, 'the rating to arrive');
    // Styles really applied (constructable stylesheets are not blocked by style-src 'self').
    const option = kiosk!.shadowRoot!.querySelector<HTMLElement>('[part~="thanks"]')!;
    expect(win.getComputedStyle(option).fontWeight).to.equal('600');
    // The dev server injects an inline script of its own into HTML pages; only ours matter here.
    const ours = win.__violations.filter((v) => !v.directive.startsWith('script-src'));
    expect(ours).to.deep.equal([]);
  });
});
