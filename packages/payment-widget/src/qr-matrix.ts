// How <qr-payment> checks that a QR symbol's colours and size will read (drawing it on a canvas for
// the PNG download is qr-canvas.ts, loaded when asked for).

/**
 * The least contrast ratio (WCAG 2.x, relative luminance) between the light and the dark modules.
 * 3:1 is what WCAG 2.2 AA asks of graphical objects (SC 1.4.11), and in the gamma-encoded luma that
 * decoders binarise (ZXing, jsQR) it is a luma difference of about 40 % — the lowest symbol contrast
 * ISO/IEC 15415 still grades as scannable (C). #a0a0a0 on white (2.6:1, a 37 % difference) fails
 * with ZXing's JS port. See docs/theming.md.
 */
export const MIN_QR_CONTRAST = 3;

let probe: CanvasRenderingContext2D | null | undefined;

/** A CSS colour as sRGB bytes and alpha (0–255) as a canvas paints it, or undefined when not a colour. */
function resolveColour(colour: string): [number, number, number, number] | undefined {
  probe ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
  if (!probe) return undefined;
  probe.clearRect(0, 0, 1, 1);
  // An invalid colour leaves fillStyle unchanged: transparent, which counts as unreadable below.
  probe.fillStyle = 'rgba(0, 0, 0, 0)';
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

/** WCAG relative luminance of sRGB bytes. */
function luminance([r, g, b]: [number, number, number, number]): number {
  const linear = (byte: number) => {
    const c = byte / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Why a QR drawn `dark` on `light` (any CSS colours) would be hard or impossible for a phone to
 * read, or undefined when it is fine: translucent or invalid colours, light modules on dark (bank
 * apps do not try inverted symbols), or a contrast ratio under {@link MIN_QR_CONTRAST}.
 */
export function qrPaletteProblem(dark: string, light: string): string | undefined {
  const darkRgba = resolveColour(dark);
  const lightRgba = resolveColour(light);
  if (!darkRgba || !lightRgba) return undefined; // No canvas to tell: draw as asked.
  if (darkRgba[3] < 255 || lightRgba[3] < 255) return `the QR colours must be opaque valid colours (dark "${dark}", light "${light}")`;
  const darkY = luminance(darkRgba);
  const lightY = luminance(lightRgba);
  if (darkY >= lightY) return `the QR palette is inverted: modules "${dark}" are not darker than the background "${light}"`;
  const ratio = (lightY + 0.05) / (darkY + 0.05);
  if (ratio < MIN_QR_CONTRAST) return `the QR contrast ${ratio.toFixed(1)}:1 ("${dark}" on "${light}") is under ${MIN_QR_CONTRAST}:1`;
  return undefined;
}

/**
 * The CSS size of a symbol of `viewSize` modules (quiet zone included) that fits `available` CSS px
 * with every module a whole number of device pixels (`ratio` = devicePixelRatio): fractional module
 * pitches make modules alternate in width (5 and 6 px at 240 px), which decoders read worse.
 */
export function snapQrSize(available: number, viewSize: number, ratio: number): number {
  const modulePixels = Math.max(1, Math.floor((available * ratio + 1e-6) / viewSize));
  return (modulePixels * viewSize) / ratio;
}
