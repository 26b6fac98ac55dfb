import type { Locale } from '@motcua/core/runtime';

/** Every string <qr-counter-screen> shows or announces. */
export interface Messages {
  welcome: string;
  counter: (id: string) => string;
  connecting: string;
  reconnecting: string;
  qrHidden: string;
  scanToPay: string;
  /** Title while underpaid: the QR now asks only for the rest. */
  scanToPayRest: string;
  /** Title of a payment that closed after money came: the officer handles it. */
  officerHandles: string;
  paidTitle: string;
  paymentClosed: string;
  rateTitle: string;
  rateOnPhone: string;
  thanksTitle: string;
  thanksText: string;
  noCounter: string;
}

const vi: Messages = {
  welcome: 'Kính chào Ông/Bà đến Bộ phận Tiếp nhận và Trả kết quả',
  counter: (id) => `Quầy ${id}`,
  connecting: 'Đang kết nối…',
  reconnecting: 'Mất kết nối, đang kết nối lại…',
  qrHidden: 'Mã QR tạm ẩn cho đến khi kết nối lại, để tránh chuyển khoản theo thông tin cũ.',
  scanToPay: 'Quét mã QR bằng ứng dụng ngân hàng hoặc ví điện tử để nộp phí, lệ phí',
  scanToPayRest: 'Chưa đủ số tiền: quét mã QR để nộp số còn thiếu',
  officerHandles: 'Đã nhận tiền của Ông/Bà. Xin vui lòng chờ, cán bộ sẽ xử lý.',
  paidTitle: 'Đã nhận thanh toán. Xin cảm ơn!',
  paymentClosed: 'Khoản thanh toán đã kết thúc',
  rateTitle: 'Ông/Bà hài lòng với việc tiếp nhận hồ sơ hôm nay?',
  rateOnPhone: 'Hoặc quét mã để đánh giá trên điện thoại của Ông/Bà',
  thanksTitle: 'Cảm ơn Ông/Bà đã đánh giá!',
  thanksText: 'Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.',
  noCounter: 'Chưa cấu hình quầy (thuộc tính counter).',
};

const en: Messages = {
  welcome: 'Welcome to the one-stop reception and results counter',
  counter: (id) => `Counter ${id}`,
  connecting: 'Connecting…',
  reconnecting: 'Connection lost, reconnecting…',
  qrHidden: 'The QR code is hidden until the connection is back, so that nobody pays from outdated details.',
  scanToPay: 'Scan the QR code with your banking or e-wallet app to pay the fee',
  scanToPayRest: 'Not paid in full: scan the QR code to pay the rest',
  officerHandles: 'Your money has been received. Please wait: an officer will handle it.',
  paidTitle: 'Payment received. Thank you!',
  paymentClosed: 'This payment is closed',
  rateTitle: 'How satisfied are you with how your application was received today?',
  rateOnPhone: 'Or scan to rate on your own phone',
  thanksTitle: 'Thank you for your rating!',
  thanksText: 'Your opinion helps us serve you better.',
  noCounter: 'No counter configured (the counter attribute).',
};

export const MESSAGES: Record<Locale, Messages> = { vi, en };
