// In Chromium: QR matrices drawn on a real canvas (and as the SVG path the widgets use) read back
// through jsQR, for a spread of versions and all four levels. Skipped, visibly, in Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeQr, qrPath, type QrMatrix } from '../src/qr.js';
import { LEVELS, asciiText, loadJsQR } from './qr-helpers.js';

const skip = typeof document === 'undefined' && 'skipped: needs a DOM canvas (runs in Chromium through Web Test Runner)';
const VERSIONS = [1, 2, 3, 5, 7, 10, 14, 20, 27, 33, 40];

/** Draws `matrix` module by module, `scale` pixels each, dark on white with a 4-module quiet zone. */
function drawOnCanvas(matrix: QrMatrix, scale: number): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = (matrix.size + 8) * scale;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.modules[row * matrix.size + column]) context.fillRect((column + 4) * scale, (row + 4) * scale, scale, scale);
    }
  }
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** Renders qrPath's SVG into a canvas through an <img>, as a browser would paint the widget's QR. */
async function drawSvgPath(matrix: QrMatrix, scale: number): Promise<ImageData> {
  const view = matrix.size + 8;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${view} ${view}" width="${view * scale}" height="${view * scale}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${qrPath(matrix)}"/></svg>`;
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = view * scale;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(image, 0, 0);
  URL.revokeObjectURL(image.src);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** A text that needs exactly `version` at `level` (from the longest text that fits the one before). */
function textFor(version: number, level: (typeof LEVELS)[number]): string {
  let length = 1;
  if (version > 1) {
    while (encodeQr('a'.repeat(length), { errorCorrection: level, mask: 0 }).version < version) length = Math.ceil(length * 1.05) + 1;
  }
  let text = asciiText(length, version);
  while (encodeQr(text, { errorCorrection: level, mask: 0 }).version > version) text = text.slice(0, -1);
  return text;
}

describe('encodeQr drawn in the browser', () => {
  for (const level of LEVELS) {
    it(`canvas: versions ${VERSIONS.join(', ')} at ${level} read back through jsQR`, { skip }, async () => {
      const jsQR = await loadJsQR();
      for (const version of VERSIONS) {
        const text = textFor(version, level);
        const matrix = encodeQr(text, { errorCorrection: level });
        assert.equal(matrix.version, version);
        const image = drawOnCanvas(matrix, 3);
        const read = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        assert.equal(read?.data, text, `version ${version}-${level}`);
        assert.equal(read?.version, version);
      }
    });
  }

  it('SVG path (qrPath) painted by the browser reads back through jsQR', { skip }, async () => {
    const jsQR = await loadJsQR();
    for (const [version, level] of [
      [3, 'M'],
      [8, 'M'],
      [12, 'Q'],
      [25, 'L'],
    ] as const) {
      const text = textFor(version, level);
      const matrix = encodeQr(text, { errorCorrection: level });
      const image = await drawSvgPath(matrix, 4);
      const read = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      assert.equal(read?.data, text, `version ${version}-${level}`);
    }
  });
});
