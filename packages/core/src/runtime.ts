/**
 * `@motcua/core/runtime` — what the widgets share: backoff, locale (and the nearest `lang`), guarded
 * element registration, lazy chunks, the locale controller and the typed `emit`.
 */
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { resolveLocale, formatVnd, nearestLang, type Locale, type LangNode } from './locale.js';
export { defineElement, MOTCUA_VERSION_KEY } from './define.js';
export { lazy, LoadController, type Lazy, type LoadingHost, type Need } from './lazy.js';
export { emit, LocaleController, type Controller, type ControllerHost, type EventDetail, type LocaleOptions } from './element.js';
