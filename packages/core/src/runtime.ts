/** `@motcua/core/runtime` — helpers the widgets share: backoff, locale, guarded element registration. */
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { resolveLocale, formatVnd, type Locale } from './locale.js';
export { defineElement, MOTCUA_VERSION_KEY } from './define.js';
