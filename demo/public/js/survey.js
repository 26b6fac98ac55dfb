// The phone survey page, opened from the survey QR on the citizen screen:
// /survey.html?token=<one-time token>&counter=<counter>&counterName=<its name, shown>.
import { initLang, onLangChange, t } from './i18n.js';

initLang({
  vi: {
    'survey.title': 'Đánh giá mức độ hài lòng — motcua',
    'survey.noToken': 'Liên kết đánh giá không hợp lệ. Vui lòng quét lại mã QR trên màn hình tại quầy.',
  },
  en: {
    'survey.title': 'Satisfaction rating — motcua',
    'survey.site': 'Satisfaction rating',
    'survey.h1': 'Rate how your application was received',
    'survey.lead': 'Rate on your own phone: the officer does not see your choice. We collect no name, phone number or location.',
    'survey.noToken': 'This rating link is not valid. Please scan the QR code on the counter screen again.',
  },
});

const survey = document.getElementById('survey');
const params = new URLSearchParams(location.search);
const token = params.get('token') ?? '';

/**
 * What the link says: the gateway's one-time token (22 characters; its claims stay on the server,
 * which checks the counter against them) with the counter `<qr-survey mode="qr">` adds beside it — or
 * a former signed token (`<base64url claims>.<signature>`) whose readable part names the counter,
 * the dossier and the officer (the gateway checks them against the signature).
 */
function linkOf(value) {
  if (/^[A-Za-z0-9_-]{22}$/.test(value)) {
    const counter = params.get('counter') ?? '';
    return /^[A-Za-z0-9_-]{1,64}$/.test(counter) ? { counter } : undefined;
  }
  try {
    const [body] = value.split('.');
    const json = atob(body.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return typeof claims?.counter === 'string' ? claims : undefined;
  } catch {
    return undefined;
  }
}

const link = linkOf(token);
if (link) {
  survey.setAttribute('token', token);
  survey.setAttribute('counter', link.counter);
  // The counter's name, as the citizen screen's rating QR gives it (display only: the token decides what is rated).
  const counterName = params.get('counterName')?.trim() ?? '';
  if (counterName && counterName.length <= 100) survey.setAttribute('counter-name', counterName);
  if (link.dossier) survey.setAttribute('dossier', link.dossier);
  if (link.officer) survey.setAttribute('officer', link.officer);
} else {
  survey.hidden = true;
  const message = document.getElementById('survey-message');
  message.hidden = false;
  message.textContent = t('survey.noToken');
  onLangChange(() => (message.textContent = t('survey.noToken')));
}
survey.setAttribute('lang', document.documentElement.lang);
onLangChange((lang) => survey.setAttribute('lang', lang));
