// The widget's own words, Vietnamese first. Question wording lives in the question sets.
import type { Locale } from '@motcua/core/runtime';

const vi = {
  officer: 'Công chức',
  counter: 'Quầy',
  thanks: 'Cảm ơn Ông/Bà đã đánh giá!',
  thanksQueued: 'Đánh giá đã được lưu và sẽ tự gửi khi có kết nối.',
  rated: 'Hồ sơ đã được đánh giá.',
  commentLabel: 'Phản ánh, kiến nghị (không bắt buộc)',
  commentAfterLow: 'Ông/Bà chưa hài lòng điều gì? Xin cho biết để chúng tôi cải thiện.',
  privacy: 'Xin không ghi thông tin cá nhân (họ tên, số điện thoại, số CCCD).',
  charsLeft: (n: number) => `Còn ${n} ký tự`,
  contactOptIn: 'Tôi muốn được liên hệ lại về phản ánh này',
  contactLabel: 'Số điện thoại hoặc email để liên hệ lại',
  send: 'Gửi đánh giá',
  skip: 'Bỏ qua',
  needAnswer: 'Vui lòng chọn ít nhất một câu trả lời.',
  wait: 'Vui lòng chờ giây lát…',
  scanToRate: 'Quét mã QR bằng điện thoại để đánh giá',
  scanPrivacy: 'Lựa chọn của Ông/Bà được giữ kín.',
  qrLabel: 'Mã QR mở trang đánh giá trên điện thoại',
  qrError: 'Không tạo được mã QR đánh giá.',
  noEndpoint: 'Chưa cấu hình địa chỉ nhận đánh giá (thuộc tính endpoint).',
  noPhoneUrl: 'Chưa cấu hình địa chỉ trang đánh giá (thuộc tính phone-url).',
  invalidSet: 'Bộ câu hỏi không hợp lệ',
  rejected: 'Đánh giá không được chấp nhận',
};

export type Strings = typeof vi;

const en: Strings = {
  officer: 'Officer',
  counter: 'Counter',
  thanks: 'Thank you for your rating!',
  thanksQueued: 'Your rating is saved and will be sent when the connection is back.',
  rated: 'This dossier has already been rated.',
  commentLabel: 'Feedback or suggestions (optional)',
  commentAfterLow: 'What were you not satisfied with? Please tell us so we can improve.',
  privacy: 'Please do not write personal data (name, phone number, ID number).',
  charsLeft: (n: number) => `${n} characters left`,
  contactOptIn: 'I would like to be contacted about this feedback',
  contactLabel: 'Phone number or email to contact you',
  send: 'Send rating',
  skip: 'Skip',
  needAnswer: 'Please choose at least one answer.',
  wait: 'Please wait a moment…',
  scanToRate: 'Scan the QR code with your phone to rate',
  scanPrivacy: 'Your choice stays private.',
  qrLabel: 'QR code opening the rating page on your phone',
  qrError: 'The rating QR code could not be created.',
  noEndpoint: 'No address to send ratings to (endpoint attribute).',
  noPhoneUrl: 'No rating page address (phone-url attribute).',
  invalidSet: 'Invalid question set',
  rejected: 'The rating was not accepted',
};

export const STRINGS: Readonly<Record<Locale, Strings>> = { vi, en };
