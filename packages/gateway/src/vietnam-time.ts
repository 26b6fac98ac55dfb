/** Vietnam's offset from UTC (no daylight saving since 1975): the calendar every report and bank uses. */
export const VIETNAM_UTC_OFFSET = '+07:00';
const OFFSET_MS = 7 * 3_600_000;

/**
 * The wall-clock time in Vietnam as `YYYY-MM-DDTHH:mm:ss.sss` (no zone): `.slice(0, 10)` is today's
 * date there, `.slice(0, 7)` the month. The one place the +7 hours is added.
 */
export const vietnamDateTime = (at: number = Date.now()): string => new Date(at + OFFSET_MS).toISOString().slice(0, 23);

/** Today in Vietnam, `YYYY-MM-DD`. */
export const vietnamToday = (at?: number): string => vietnamDateTime(at).slice(0, 10);

/** This month in Vietnam, `YYYY-MM`. */
export const vietnamMonth = (at?: number): string => vietnamDateTime(at).slice(0, 7);

/** Midnight starting a Vietnamese day or month (`YYYY-MM-DD` or `YYYY-MM`), as an instant PostgreSQL reads. */
export const vietnamMidnight = (dayOrMonth: string): string => `${dayOrMonth.length === 7 ? `${dayOrMonth}-01` : dayOrMonth}T00:00:00${VIETNAM_UTC_OFFSET}`;
