import type { PaymentStatus } from '@motcua/core/protocol';
import { lazy, type Locale } from '@motcua/core/runtime';

/** Every string <qr-payment> shows or announces. */
export interface Messages {
  title: string;
  loading: string;
  qrLabel: (amount: string | undefined, bank: string, account: string) => string;
  /** A bank-issued merchant QR (QR Push): pays a merchant, not an account. */
  qrLabelMerchant: (amount: string | undefined, bank: string, merchantId: string) => string;
  /** A cash-withdrawal QR (QRCASH) of an ATM. */
  qrLabelCash: (amount: string | undefined, bank: string, atmId: string) => string;
  amount: string;
  bank: string;
  account: string;
  merchantId: string;
  atmId: string;
  accountName: string;
  memo: string;
  paymentCode: string;
  expiresIn: string;
  expired: string;
  status: Record<PaymentStatus, string>;
  statusStatic: string;
  paidAnnouncement: (amount: string) => string;
  amountDue: (amount: string) => string;
  /** The over-payment to refund, in words. */
  refund: (amount: string) => string;
  /** Money received for a payment that closed unpaid: what happens next, never a new code. */
  officerHandles: (amount: string) => string;
  /** Labels of the money summary (received, still due, to refund). */
  summary: { fee: string; received: string; remaining: string; refund: string };
  copy: { account: string; amount: string; memo: string };
  copied: { account: string; amount: string; memo: string };
  copyFailed: string;
  download: string;
  downloadFailed: string;
  retry: string;
  regenerate: string;
  errorTitle: string;
  connectionProblem: string;
  reconnecting: string;
  errors: Record<string, string>;
}

const vi: Messages = {
  title: 'Thanh toán bằng mã QR',
  loading: 'Đang tải thông tin thanh toán…',
  qrLabel: (amount, bank, account) => `Mã QR chuyển khoản${amount ? ` ${amount}` : ''} đến tài khoản ${account} tại ${bank}`,
  qrLabelMerchant: (amount, bank, merchantId) => `Mã QR thanh toán${amount ? ` ${amount}` : ''} cho điểm bán ${merchantId} của ${bank}`,
  qrLabelCash: (amount, bank, atmId) => `Mã QR rút tiền mặt${amount ? ` ${amount}` : ''} tại ATM ${atmId} của ${bank}`,
  amount: 'Số tiền',
  bank: 'Ngân hàng',
  account: 'Số tài khoản',
  merchantId: 'Mã điểm bán',
  atmId: 'Mã ATM',
  accountName: 'Chủ tài khoản',
  memo: 'Nội dung chuyển khoản',
  paymentCode: 'Mã thanh toán',
  expiresIn: 'Hết hạn sau',
  expired: 'Đã hết hạn',
  status: {
    pending: 'Đang chờ thanh toán',
    paid: 'Đã thanh toán',
    underpaid: 'Chưa đủ số tiền',
    expired: 'Mã QR đã hết hạn',
    cancelled: 'Đã hủy thanh toán',
  },
  statusStatic: 'Quét mã bằng ứng dụng ngân hàng để chuyển khoản',
  paidAnnouncement: (amount) => `Đã nhận thanh toán ${amount}`,
  amountDue: (amount) => `Còn thiếu ${amount}`,
  refund: (amount) => `Nộp thừa ${amount}, sẽ được hoàn trả`,
  officerHandles: (amount) => `Đã nhận ${amount} — cán bộ sẽ xử lý`,
  summary: { fee: 'Phí, lệ phí', received: 'Đã nhận', remaining: 'Còn thiếu', refund: 'Sẽ hoàn trả' },
  copy: { account: 'Sao chép số tài khoản', amount: 'Sao chép số tiền', memo: 'Sao chép nội dung chuyển khoản' },
  copied: { account: 'Đã sao chép số tài khoản', amount: 'Đã sao chép số tiền', memo: 'Đã sao chép nội dung chuyển khoản' },
  copyFailed: 'Không sao chép được. Hãy chọn và sao chép thủ công.',
  download: 'Tải mã QR (PNG)',
  downloadFailed: 'Không tải được ảnh mã QR.',
  retry: 'Thử lại',
  regenerate: 'Tạo mã mới',
  errorTitle: 'Không hiển thị được mã thanh toán',
  connectionProblem: 'Mất kết nối tới máy chủ thanh toán. Trạng thái có thể chưa cập nhật.',
  reconnecting: 'Đang thử kết nối lại…',
  errors: {
    HTTP_ERROR: 'Máy chủ thanh toán báo lỗi.',
    TIMEOUT: 'Máy chủ thanh toán không trả lời.',
    NETWORK_ERROR: 'Không kết nối được máy chủ thanh toán.',
    INVALID_JSON: 'Máy chủ trả về dữ liệu không đọc được.',
    INVALID_RESOURCE: 'Máy chủ trả về dữ liệu thanh toán không hợp lệ.',
    ID_MISMATCH: 'Máy chủ trả về một khoản thanh toán khác.',
    INVALID_QR: 'Mã QR của khoản thanh toán không hợp lệ.',
    QR_MISMATCH: 'Mã QR không khớp với số tiền hoặc tài khoản của khoản thanh toán.',
    SOURCE_ERROR: 'Nguồn trạng thái thanh toán báo lỗi.',
    UNKNOWN_BANK: 'Không có ngân hàng với mã BIN này.',
    INVALID_BIN: 'Mã ngân hàng (BIN) không hợp lệ.',
    INVALID_ACCOUNT: 'Số tài khoản không hợp lệ.',
    INVALID_AMOUNT: 'Số tiền phải là số nguyên dương, tối đa 13 chữ số.',
    NOT_ASCII: 'Nội dung chuyển khoản phải viết không dấu, chỉ gồm chữ, số và dấu cách.',
    FIELD_TOO_LONG: 'Một trường quá dài so với quy định VietQR.',
    MISSING_FIELD: 'Thiếu thông tin bắt buộc.',
    INVALID_FIELD: 'Một trường không hợp lệ.',
    BAD_CRC: 'Mã QR bị sai (CRC không khớp).',
    MALFORMED_TLV: 'Mã QR không đúng định dạng EMVCo.',
    NOT_VIETQR: 'Mã QR không phải VietQR.',
    QR_TOO_LONG: 'Nội dung quá dài để tạo mã QR.',
    UNKNOWN: 'Đã xảy ra lỗi không xác định.',
  },
};

/**
 * The translation tables loaded so far, by locale: Vietnamese always, English once `loadMessages`
 * has fetched it (the widget waits for it before its first paint in English).
 */
export const MESSAGES: { vi: Messages; en?: Messages } = { vi };

const english = lazy(() => import('./messages-en.js'));

/** Loads the translation table of `locale` into `MESSAGES`; a failed load may be tried again. */
export async function loadMessages(locale: Locale): Promise<void> {
  if (locale === 'vi') return;
  MESSAGES.en = (await english.load()).en;
}
