// The demo's two languages. Vietnamese is written in the HTML; this swaps every [data-i18n]
// element's text (and [data-i18n-label] aria-labels) and sets <html lang>, which the widgets follow.
const STORAGE_KEY = 'motcua-demo-lang';

const DICT = {
  vi: {
    'site.agency': 'UBND PHƯỜNG DEMO — QUẬN HOÀN KIẾM',
    'site.name': 'Bộ phận Một cửa — Thanh toán không dùng tiền mặt',
    'nav.home': 'Trang chủ',
    'nav.counter': 'Quầy cán bộ',
    'nav.screen': 'Màn hình công dân',
    'nav.bank': 'Ngân hàng giả lập',
    'nav.reports': 'Báo cáo',
    'lang.switch': 'English',
    'lang.label': 'Switch to English',
    footer: 'Bản demo motcua — dữ liệu giả lập, không dùng cho thu phí thật.',
    skip: 'Bỏ qua, tới nội dung chính',
  },
  en: {
    'site.agency': 'DEMO WARD PEOPLE’S COMMITTEE — HOÀN KIẾM DISTRICT',
    'site.name': 'One-stop counter — Cashless payments',
    'nav.home': 'Home',
    'nav.counter': 'Officer counter',
    'nav.screen': 'Citizen screen',
    'nav.bank': 'Simulated bank',
    'nav.reports': 'Reports',
    'lang.switch': 'Tiếng Việt',
    'lang.label': 'Chuyển sang tiếng Việt',
    footer: 'motcua demo — simulated data, not for collecting real fees.',
    skip: 'Skip to main content',
  },
};

let lang = 'vi';
const listeners = new Set();

/** Adds a page's own strings. */
export function addStrings(strings) {
  for (const code of ['vi', 'en']) Object.assign(DICT[code], strings[code]);
}

export function currentLang() {
  return lang;
}

/** The string for `key`, with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = DICT[lang][key] ?? DICT.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

export function onLangChange(listener) {
  listeners.add(listener);
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'vi';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {}
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder));
  const titleKey = document.querySelector('meta[name="i18n-title"]')?.getAttribute('content');
  if (titleKey) document.title = t(titleKey);
  for (const listener of listeners) listener(lang);
}

/** Reads the saved language (or ?lang=), wires the switch button, and applies it. */
export function initLang(strings) {
  if (strings) addStrings(strings);
  // Vietnamese is the page's own text: keep it as the Vietnamese entry of every key the script does
  // not define, so switching to English and back restores it (and Vietnamese never shows a key).
  for (const element of document.querySelectorAll('[data-i18n]')) DICT.vi[element.dataset.i18n] ??= element.textContent.trim();
  for (const element of document.querySelectorAll('[data-i18n-label]')) DICT.vi[element.dataset.i18nLabel] ??= element.getAttribute('aria-label') ?? '';
  for (const element of document.querySelectorAll('[data-i18n-placeholder]'))
    DICT.vi[element.dataset.i18nPlaceholder] ??= element.getAttribute('placeholder') ?? '';
  const titleKey = document.querySelector('meta[name="i18n-title"]')?.getAttribute('content');
  if (titleKey) DICT.vi[titleKey] ??= document.title;
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {}
  const fromUrl = new URLSearchParams(location.search).get('lang');
  document.querySelector('button.lang')?.addEventListener('click', () => setLang(lang === 'vi' ? 'en' : 'vi'));
  setLang(fromUrl ?? saved ?? 'vi');
}

const money = new Map();
/** `50.000 ₫` (vi) or `₫50,000` (en). */
export function formatVnd(amount) {
  let format = money.get(lang);
  if (!format)
    money.set(lang, (format = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 })));
  return format.format(amount);
}

export function formatTime(iso) {
  return iso
    ? new Date(iso).toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB', {
        timeZone: 'Asia/Ho_Chi_Minh',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
    : '—';
}

/** Fetches JSON; throws an Error carrying the gateway's `{error: {code, message}}`. */
export async function fetchJson(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { code: 'BAD_RESPONSE', message: text.slice(0, 200) } };
  }
  if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `HTTP ${response.status}`), { code: body?.error?.code, status: response.status });
  return body;
}

/** Creates an element with text content (never HTML). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
}

/**
 * Gives every body cell of `table` its column's name (`data-label`), which a `table.cards` shows
 * beside the value where the table becomes one card per row (portal.css, on a phone).
 */
export function labelColumns(table) {
  const names = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
  for (const row of table.tBodies[0].rows) for (const [i, cell] of [...row.cells].entries()) cell.dataset.label = names[i] ?? '';
}
