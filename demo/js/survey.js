// The phone survey page, opened from the survey QR on the citizen screen: /survey.html?token=…
// The token is the gateway's signed one-time token; its readable part names the counter, the
// dossier and the officer, which the rating must carry (the gateway checks them against the
// signature, so reading them here needs no trust).
import { initLang, onLangChange, t } from './i18n.js';

initLang({
  vi: { 'survey.title': 'Đánh giá mức độ hài lòng — motcua', 'survey.noToken': 'Liên kết đánh giá không hợp lệ. Vui lòng quét lại mã QR trên màn hình tại quầy.' },
  en: {
    'survey.title': 'Satisfaction rating — motcua',
    'survey.site': 'Satisfaction rating',
    'survey.h1': 'Rate how your application was received',
    'survey.lead': 'Rate on your own phone: the officer does not see your choice. We collect no name, phone number or location.',
    'survey.noToken': 'This rating link is not valid. Please scan the QR code on the counter screen again.',
  },
});

const survey = document.getElementById('survey');
const token = new URLSearchParams(location.search).get('token') ?? '';

function claimsOf(value) {
  try {
    const [body] = value.split('.');
    const json = atob(body.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return typeof claims?.counter === 'string' ? claims : undefined;
  } catch {
    return undefined;
  }
}

const claims = claimsOf(token);
if (claims) {
  survey.setAttribute('token', token);
  survey.setAttribute('counter', claims.counter);
  if (claims.dossier) survey.setAttribute('dossier', claims.dossier);
  if (claims.officer) survey.setAttribute('officer', claims.officer);
} else {
  survey.hidden = true;
  const message = document.getElementById('survey-message');
  message.hidden = false;
  message.textContent = t('survey.noToken');
  onLangChange(() => (message.textContent = t('survey.noToken')));
}
survey.setAttribute('lang', document.documentElement.lang);
onLangChange((lang) => survey.setAttribute('lang', lang));
