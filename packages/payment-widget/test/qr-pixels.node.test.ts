// <qr-payment>'s QR as a phone's camera gets it: Chromium (playwright-core) screenshots at device
// scale factors 1, 2 and 3, decoded with jsQR, every module a whole block of device pixels, the
// quiet zone exactly 4 modules; an unreadable palette drawn black on white. (The printed slip's QR: e2e/slip.test.ts.)
// Needs the CDN build (packages/payment-widget/dist/cdn): `npx tsc -b && npx rollup -c --silent`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import { chromium, type Browser } from 'playwright-core';
import { encodeVietQR } from '@motcua/core';
import { encodeQr } from '@motcua/core/qr';
import { CHROME_ARGS, findChrome } from '../../../scripts/chrome.mjs';

// jsqr's declaration has a default export that CommonJS interop hands over as the module itself.
const jsQR = jsQRModule as unknown as typeof import('jsqr').default;
/** A decoded screenshot: RGBA bytes, row by row. */
interface PNG {
  width: number;
  height: number;
  data: Buffer;
}
// pngjs (a dev dependency, CommonJS) ships no types: only its synchronous reader is used.
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(buffer: Buffer): PNG } } };

const cdn = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cdn');
const PAYLOAD = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI HO TICH' });
const MODULES = encodeQr(PAYLOAD, { errorCorrection: 'M' }).size;
const VIEW = MODULES + 8;

let server: Server;
let base: string;
let browser: Browser;

/** A page with one `<qr-payment>` whose host style is `style` (a stylesheet, not an inline attribute). */
const page = (style: string) => `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<style>body { margin: 0; padding: 13px 17px; background: #fff; } qr-payment { --motcua-color-background: #808080; ${style} }</style>
<script type="module" src="/qr-payment.js"></script></head>
<body><qr-payment payload="${PAYLOAD}"></qr-payment></body></html>`;

before(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(url.searchParams.get('style') ?? ''));
      return;
    }
    try {
      const body = await readFile(path.join(cdn, path.basename(url.pathname)));
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: findChrome() ?? '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Shot {
  png: PNG;
  /** Console warnings and `qr-payment-error` details seen by the page. */
  warnings: string[];
  errors: Array<{ code: string; recoverable: boolean }>;
  /** The QR's CSS box. */
  box: { x: number; y: number; width: number; height: number };
}

async function shoot(deviceScaleFactor: number, style = ''): Promise<Shot> {
  const context = await browser.newContext({ deviceScaleFactor, viewport: { width: 520, height: 640 } });
  try {
    const tab = await context.newPage();
    const warnings: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await tab.addInitScript(() => {
      const seen: unknown[] = ((window as unknown as { qrErrors: unknown[] }).qrErrors = []);
      addEventListener('qr-payment-error', (event) => seen.push((event as CustomEvent).detail));
    });
    await tab.goto(`${base}?${new URLSearchParams({ style })}`);
    const qr = tab.locator('qr-payment svg.qr');
    await qr.waitFor();
    await tab.evaluate(() => document.querySelector('qr-payment')!.updateComplete);
    const box = (await qr.boundingBox())!;
    const png = PNG.sync.read(await tab.screenshot());
    const errors = await tab.evaluate(() => (window as unknown as { qrErrors: Array<{ code: string; recoverable: boolean }> }).qrErrors);
    return { png, warnings, errors, box };
  } finally {
    await context.close();
  }
}

const pixel = (png: PNG, x: number, y: number) => {
  const i = (y * png.width + x) * 4;
  return (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
};

/** The device-pixel box of the dark modules: from the first to the last row and column with a dark pixel. */
function darkBounds(png: PNG): { left: number; top: number; right: number; bottom: number } {
  let left = png.width;
  let top = png.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (pixel(png, x, y) === 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { left, top, right: right + 1, bottom: bottom + 1 };
}

/** Checks that every module is one whole block of `pitch` × `pitch` pure black or pure white device pixels. */
function assertWholePixelModules(shot: Shot, deviceScaleFactor: number): void {
  const { png } = shot;
  const pitch = Math.floor((240 * deviceScaleFactor) / VIEW);
  const { left, top, right, bottom } = darkBounds(png);
  assert.equal(right - left, MODULES * pitch, `symbol width ${right - left} px = ${MODULES} modules × ${pitch} px`);
  assert.equal(bottom - top, MODULES * pitch, 'symbol height');
  for (let row = 0; row < MODULES; row++) {
    for (let column = 0; column < MODULES; column++) {
      const colour = pixel(png, left + column * pitch, top + row * pitch);
      assert.ok(colour === 0 || colour === 0xffffff, `module (${row}, ${column}) is pure black or white`);
      for (let dy = 0; dy < pitch; dy++) {
        for (let dx = 0; dx < pitch; dx++) {
          if (pixel(png, left + column * pitch + dx, top + row * pitch + dy) !== colour) {
            assert.fail(`module (${row}, ${column}) is not one ${pitch} × ${pitch} px block at scale ${deviceScaleFactor}`);
          }
        }
      }
    }
  }
  // The quiet zone: exactly 4 modules of light between the symbol and the (grey) host around it,
  // counted on the finder patterns' outer rows and columns.
  const light = pixel(png, left - 1, top);
  const run = (x: number, y: number, dx: number, dy: number) => {
    let n = 0;
    while (pixel(png, x + n * dx, y + n * dy) === light) n++;
    return n;
  };
  const middle = Math.floor(pitch / 2);
  assert.equal(run(left - 1, top + middle, -1, 0), 4 * pitch, 'quiet zone left');
  assert.equal(run(right, top + middle, 1, 0), 4 * pitch, 'quiet zone right');
  assert.equal(run(left + middle, top - 1, 0, -1), 4 * pitch, 'quiet zone top');
  assert.equal(run(left + middle, bottom, 0, 1), 4 * pitch, 'quiet zone bottom');
  assert.equal(pixel(png, left - 4 * pitch - 1, top + middle), 0x808080, 'the host background right outside the quiet zone');
  assert.equal(Math.round(shot.box.width * deviceScaleFactor), VIEW * pitch, 'the QR box is the symbol and its quiet zone, nothing else');
}

const decode = (png: PNG) => jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;

describe('<qr-payment> QR in Chromium', () => {
  for (const scale of [1, 2, 3]) {
    it(`should draw every module on whole device pixels and scan with jsQR at device scale factor ${scale}`, async () => {
      const shot = await shoot(scale);
      assert.equal(decode(shot.png), PAYLOAD);
      assertWholePixelModules(shot, scale);
      assert.ok(shot.box.width <= 240 && shot.box.width > 240 - VIEW / scale, `QR ${shot.box.width} CSS px: the largest whole-pixel fit of 240 px`);
      assert.deepEqual(shot.errors, []);
    });
  }

  it('should draw a low-contrast palette (#a0a0a0 on white, 2.6:1) black on white, with a recoverable error and a warning', async () => {
    const shot = await shoot(2, '--motcua-qr-dark: #a0a0a0;');
    assert.deepEqual(
      shot.errors.map((e) => [e.code, e.recoverable]),
      [['UNREADABLE_PALETTE', true]],
    );
    assert.ok(
      shot.warnings.some((w) => /contrast 2\.6:1/.test(w)),
      shot.warnings.join('\n'),
    );
    assert.equal(decode(shot.png), PAYLOAD);
    assertWholePixelModules(shot, 2);
  });

  it('should draw an inverted palette (light modules on dark) black on white', async () => {
    const shot = await shoot(1, '--motcua-qr-dark: #ffffff; --motcua-qr-light: #101010;');
    assert.deepEqual(
      shot.errors.map((e) => [e.code, e.recoverable]),
      [['UNREADABLE_PALETTE', true]],
    );
    assert.ok(
      shot.warnings.some((w) => /inverted/.test(w)),
      shot.warnings.join('\n'),
    );
    assert.equal(decode(shot.png), PAYLOAD);
    assertWholePixelModules(shot, 1);
  });

  it('should keep a readable brand palette (#0b3d91 on #fffbe6) as themed', async () => {
    const shot = await shoot(1, '--motcua-qr-dark: #0b3d91; --motcua-qr-light: #fffbe6;');
    assert.deepEqual(shot.errors, []);
    assert.deepEqual(shot.warnings, []);
    assert.equal(decode(shot.png), PAYLOAD);
    const { left, top } = darkBounds(shot.png);
    assert.equal(left, shot.png.width, 'no pure black module: the brand colour is drawn');
    assert.equal(top, shot.png.height);
  });
});
