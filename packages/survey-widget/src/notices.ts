// What the widget says only now and then, in both languages: once the queue has answered for a rating
// (kept, not kept, expired), and when the element is set up wrongly. A chunk of its own in the CDN
// files: <qr-survey> loads it with the queue (before it listens to it) and when a set-up problem shows,
// so a working kiosk's first paint never needs it.
import type { Locale } from '@motcua/core/runtime';

const vi = {
  /** Under the thanks: the rating waits on this device. */
  thanksQueued: 'Đánh giá đã được lưu trên máy này và sẽ tự gửi khi có kết nối.',
  /** Under the thanks: neither store could keep it — only this page's memory has it. */
  unsaved: 'Chưa gửi được đánh giá và máy này không lưu được. Máy sẽ thử gửi lại khi trang còn mở.',
  /** The server refused the rating's token (401 `INVALID_TOKEN` / `TOKEN_EXPIRED`). */
  expired: 'Phiên đánh giá này đã hết hạn.',
  'no-endpoint': 'Chưa cấu hình địa chỉ nhận đánh giá (thuộc tính endpoint).',
  'no-phone-url': 'Chưa cấu hình địa chỉ trang đánh giá (thuộc tính phone-url).',
  'invalid-phone-url': 'Địa chỉ trang đánh giá (phone-url) phải là http:// hoặc https://.',
  'invalid-question-set': 'Bộ câu hỏi không hợp lệ',
};

/** The queue outcomes' words, Vietnamese first. */
export const NOTICES: Readonly<Record<Locale, typeof vi>> = {
  vi,
  en: {
    thanksQueued: 'Your rating is saved on this device and will be sent when the connection is back.',
    unsaved: 'Your rating could not be sent yet, and this device could not keep it. It will be retried while this page stays open.',
    expired: 'This rating session has expired.',
    'no-endpoint': 'No address to send ratings to (endpoint attribute).',
    'no-phone-url': 'No rating page address (phone-url attribute).',
    'invalid-phone-url': 'The rating page address (phone-url) must be http:// or https://.',
    'invalid-question-set': 'Invalid question set',
  },
};
