// The citizen-facing screen: one <qr-counter-screen> for the counter in ?counter= (C1 by default).
import { initLang } from './i18n.js';

initLang({
  vi: { 'screen.title': 'Màn hình công dân — motcua' },
  en: {
    'screen.title': 'Citizen screen — motcua',
    'screen.h1': 'Citizen screen',
    'screen.hours': 'Opening hours: Monday – Friday 8:00–12:00, 13:30–17:00; Saturday morning 8:00–12:00.',
    'screen.pay': 'Pay fees by QR bank transfer: quick, no cash needed, with an electronic receipt.',
  },
});

const params = new URLSearchParams(location.search);
const screen = document.getElementById('screen');
const counter = params.get('counter');
if (counter && /^[A-Za-z0-9_-]{1,64}$/.test(counter)) screen.setAttribute('counter', counter);
// Tests and kiosks can shorten the pauses: ?thanksDelay=… (ms). How long "paid" shows is the gateway's
// (MOTCUA_PAID_SCREEN_MS), the same on every screen of the counter.
for (const [param, attribute] of [
  ['thanksDelay', 'thanks-delay'],
  ['reconnectMinMs', 'reconnect-min-ms'],
]) {
  const value = params.get(param);
  if (value && /^\d{1,6}$/.test(value)) screen.setAttribute(attribute, value);
}

// The paired screen's key: a district installs it on the kiosk (its page or configuration); the
// demo's portal backend hands it to this page, so that the demo needs no set-up. Without it the
// screen still shows payments, but the gateway does not send it the rating token.
const paired = screen.getAttribute('counter') ?? 'C1';
fetch(`/demo/api/screen-key?counter=${encodeURIComponent(paired)}`)
  .then((response) => (response.ok ? response.json() : undefined))
  .then((answer) => answer?.key && screen.setAttribute('screen-key', answer.key))
  .catch(() => {});
// A counter with speakers: ?announce chimes and says the amount when a payment is confirmed.
if (params.has('announce')) screen.setAttribute('announce', '');
