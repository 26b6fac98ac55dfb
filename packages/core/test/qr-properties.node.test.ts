// Property tests of the QR encoder (fast-check): random text up to capacity reads back through jsQR
// (on an RGBA buffer, no canvas) in byte and in mixed (auto) mode, and encodeQr throws only QrError
// whatever it is given.
// Node only (".node.test.ts"): sweeps up to version 40 are too slow for the browser runner's 15 s
// timeout on a loaded machine; qr.test.ts and qr-canvas.test.ts cover the encoder in Chromium.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeQr, QrError, type QrErrorCorrection } from '../src/qr.js';
import { loadJsQR, rasterise } from './qr-helpers.js';

/** Byte-mode capacity at version 40. */
const CAPACITY = { L: 2953, M: 2331, Q: 1663, H: 1273 } as const;
const level = fc.constantFrom<QrErrorCorrection>('L', 'M', 'Q', 'H');
/**
 * jsQR 1.4.0 cannot read version 23 (anyone's: qrcode's identical symbols fail the same way): its
 * table has alignment patterns at 6, 30, 54, 74, 102 where ISO/IEC 18004 Annex E says 6, 30, 54, 78, 102.
 */
const JSQR_BAD_VERSION = 23;

/** Runs of digits, alphanumeric capitals, lower case and Vietnamese, in any order: every mode and every switch. */
const mixedText = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'), minLength: 1, maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(...'abcxyz?&=_#@~'), minLength: 1, maxLength: 10 }),
      fc.string({ unit: fc.constantFrom(...'ăâđêôơưệữ😀'), minLength: 1, maxLength: 4 }),
    ),
    { maxLength: 30 },
  )
  .map((runs) => runs.join(''));

describe('encodeQr properties', () => {
  it('random runs of digits, capitals, lower case and Vietnamese read back through jsQR in auto mode, never larger than byte mode', async () => {
    const jsQR = await loadJsQR();
    fc.assert(
      fc.property(mixedText, level, fc.integer({ min: 1, max: 12 }), (text, errorCorrection, minVersion) => {
        let matrix: ReturnType<typeof encodeQr>;
        try {
          matrix = encodeQr(text, { errorCorrection, minVersion });
        } catch (error) {
          assert.ok(error instanceof QrError && error.code === 'TOO_LONG', String(error));
          return;
        }
        assert.ok(matrix.version >= minVersion, 'minVersion is a floor');
        assert.ok(matrix.version <= encodeQr(text, { errorCorrection, minVersion, mode: 'byte', mask: 0 }).version, 'no larger than byte mode');
        fc.pre(matrix.version !== JSQR_BAD_VERSION);
        const { data, width } = rasterise(matrix, 3);
        const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
        assert.ok(read, `jsQR read version ${matrix.version}-${errorCorrection}`);
        assert.equal(read.data, text);
        assert.deepEqual(Uint8Array.from(read.binaryData), new TextEncoder().encode(text));
      }),
      { numRuns: 200, seed: 1822 },
    );
  });

  it('random digit or alphanumeric text up to the capacity of version 40 reads back through jsQR', async () => {
    const jsQR = await loadJsQR();
    // Numeric and alphanumeric capacity at version 40 (Table 7).
    const numeric = { L: 7089, M: 5596, Q: 3993, H: 3057 } as const;
    const alphanumeric = { L: 4296, M: 3391, Q: 2420, H: 1852 } as const;
    const sample = level.chain((errorCorrection) =>
      fc.oneof(
        fc.record({
          errorCorrection: fc.constant(errorCorrection),
          text: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: numeric[errorCorrection], size: 'max' }),
        }),
        fc.record({
          errorCorrection: fc.constant(errorCorrection),
          text: fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'), maxLength: alphanumeric[errorCorrection], size: 'max' }),
        }),
      ),
    );
    fc.assert(
      fc.property(sample, ({ text, errorCorrection }) => {
        const matrix = encodeQr(text, { errorCorrection });
        fc.pre(matrix.version !== JSQR_BAD_VERSION);
        const { data, width } = rasterise(matrix, 3);
        const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
        assert.ok(read, `jsQR read version ${matrix.version}-${errorCorrection}`);
        assert.equal(read.data, text);
        assert.equal(read.version, matrix.version);
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it('random Unicode text of up to 300 bytes reads back through jsQR, byte for byte', async () => {
    const jsQR = await loadJsQR();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), level, (text, errorCorrection) => {
        const bytes = new TextEncoder().encode(text);
        fc.pre(bytes.length <= 300);
        const matrix = encodeQr(text, { errorCorrection });
        fc.pre(matrix.version !== JSQR_BAD_VERSION);
        const { data, width } = rasterise(matrix, 3);
        const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
        assert.ok(read, `jsQR read version ${matrix.version}-${errorCorrection}`);
        assert.deepEqual(Uint8Array.from(read.binaryData), bytes);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('random bytes (as Latin-1 or ASCII text) up to the capacity of version 40 read back through jsQR', async () => {
    const jsQR = await loadJsQR();
    const sample = level.chain((errorCorrection) =>
      fc.record({
        errorCorrection: fc.constant(errorCorrection),
        // Half of the characters are U+0080–U+00FF, two UTF-8 bytes each: stay under the byte capacity.
        text: fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: Math.floor(CAPACITY[errorCorrection] / 2) }),
      }),
    );
    fc.assert(
      fc.property(sample, fc.integer({ min: 1, max: 40 }), ({ text, errorCorrection }, minVersion) => {
        const bytes = new TextEncoder().encode(text);
        const matrix = encodeQr(text, { errorCorrection, minVersion });
        assert.ok(matrix.version >= minVersion, 'minVersion is a floor');
        fc.pre(matrix.version !== JSQR_BAD_VERSION);
        const { data, width } = rasterise(matrix, 3);
        const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
        assert.ok(read, `jsQR read version ${matrix.version}-${errorCorrection}`);
        assert.deepEqual(Uint8Array.from(read.binaryData), bytes);
        assert.equal(read.version, matrix.version);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('text at exactly the capacity of a random version reads back', async () => {
    const jsQR = await loadJsQR();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).filter((v) => v !== JSQR_BAD_VERSION),
        level,
        fc.integer({ min: 0, max: 7 }),
        (version, errorCorrection, mask) => {
          // The longest text of `version`, by bisection: one byte more needs the next version.
          const fits = (n: number) =>
            n <= CAPACITY[errorCorrection] && encodeQr('x'.repeat(n), { errorCorrection, minVersion: version, mask: 0 }).version === version;
          let low = 0;
          let high = CAPACITY[errorCorrection] + 1;
          while (high - low > 1) {
            const middle = (low + high) >> 1;
            if (fits(middle)) low = middle;
            else high = middle;
          }
          const text = 'x'.repeat(low);
          const matrix = encodeQr(text, { errorCorrection, mask, minVersion: version });
          assert.equal(matrix.version, version);
          const { data, width } = rasterise(matrix, 3);
          const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
          assert.equal(read?.data, text, `version ${version}-${errorCorrection}, mask ${mask}, ${low} bytes`);
          assert.equal(read?.version, version);
        },
      ),
      { numRuns: 12, seed: 99 },
    );
  });

  it('throws nothing but QrError, whatever the text and options', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.oneof(
          fc.anything(),
          fc.record(
            { errorCorrection: fc.anything(), minVersion: fc.anything(), mask: fc.anything(), mode: fc.oneof(fc.constantFrom('auto', 'byte'), fc.anything()) },
            { requiredKeys: [] },
          ),
        ),
        (text, options) => {
          try {
            const matrix = encodeQr(text as string, options as never);
            assert.equal(typeof text, 'string');
            assert.equal(matrix.modules.length, matrix.size * matrix.size);
          } catch (error) {
            assert.ok(error instanceof QrError, String(error));
            assert.ok(error.code === 'TOO_LONG' || error.code === 'INVALID_OPTION', error.code);
          }
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 1200 }), level, (text, errorCorrection) => {
        try {
          encodeQr(text, { errorCorrection });
        } catch (error) {
          assert.ok(error instanceof QrError && error.code === 'TOO_LONG', String(error));
          assert.ok(new TextEncoder().encode(text).length > CAPACITY[errorCorrection], 'longer than byte mode holds');
        }
      }),
      { numRuns: 100 },
    );
  });
});
