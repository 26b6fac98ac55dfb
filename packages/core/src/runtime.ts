/** `@motcua/core/runtime` — helpers the widgets share: backoff, locale (and the nearest `lang`), guarded element registration, lazy chunks. */
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { resolveLocale, formatVnd, nearestLang, type Locale, type LangNode } from './locale.js';
export { defineElement, MOTCUA_VERSION_KEY } from './define.js';
export { lazy, type Lazy } from './lazy.js';
