// Day and month pickers in the page's language. A native <input type="date"> or "month" is drawn in
// the browser's own language (12/01/2026, "December 2026" on an English Chromium), whatever the page's
// lang says: a Vietnamese page would show an English, month-first date. These are plain <select>s
// (day, month, year) in a <fieldset>, so they read and work the same everywhere, keyboard included.
import { currentLang, onLangChange } from './i18n.js';

const FIRST_YEAR = 2024;
const two = (n) => String(n).padStart(2, '0');
const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** "Tháng 12" (vi) or "December" (en). */
function monthName(month) {
  if (currentLang() === 'vi') return `Tháng ${month}`;
  return new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
}

function fill(select, values, label, chosen) {
  select.replaceChildren(...values.map((value) => new Option(label(value), String(value))));
  select.value = String(Math.min(Math.max(chosen, values[0]), values.at(-1)));
}

/**
 * Turns the selects in `parts` ({day?, month, year}) into one picker of `YYYY-MM-DD` (with `day`) or
 * `YYYY-MM`, starting at `initial` (Vietnam's today, say); `onChange(value)` after every change.
 */
export function datePicker(parts, initial, onChange) {
  const [year0, month0, day0] = initial.split('-').map(Number);
  const lastYear = Math.max(year0, new Date(Date.now() + 7 * 3600_000).getUTCFullYear());
  const years = Array.from({ length: lastYear - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const picker = {
    get value() {
      const ym = `${parts.year.value}-${two(parts.month.value)}`;
      return parts.day ? `${ym}-${two(parts.day.value)}` : ym;
    },
  };
  const fillDays = (chosen) => {
    if (!parts.day) return;
    const days = Array.from({ length: daysIn(Number(parts.year.value), Number(parts.month.value)) }, (_, i) => i + 1);
    fill(parts.day, days, two, chosen);
  };
  const render = () => {
    const chosen = { year: Number(parts.year.value) || year0, month: Number(parts.month.value) || month0, day: Number(parts.day?.value) || day0 };
    fill(parts.year, years, String, chosen.year);
    fill(parts.month, months, monthName, chosen.month);
    fillDays(chosen.day);
  };
  render();
  for (const select of Object.values(parts)) {
    select.addEventListener('change', () => {
      if (select !== parts.day) fillDays(Number(parts.day?.value));
      onChange(picker.value);
    });
  }
  onLangChange(render);
  return picker;
}
