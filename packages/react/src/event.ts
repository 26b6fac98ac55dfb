import type { EventName } from '@lit/react';

/**
 * An event name typed with its event, looked up in `HTMLElementEventMap` (each widget declares its
 * events in `GlobalEventHandlersEventMap`), so that `onPaid={(event) => event.detail.payment}` is typed.
 */
export const event = <K extends keyof HTMLElementEventMap>(name: K) => name as EventName<HTMLElementEventMap[K]>;
