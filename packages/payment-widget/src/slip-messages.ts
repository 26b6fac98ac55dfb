import type { Locale } from '@motcua/core/runtime';

/** Every string `<qr-payment-slip>` prints. Paper wording only: no status, no countdown, nothing to click. */
export interface SlipMessages {
  title: string;
  unit: string;
  purpose: string;
  dossier: string;
  amount: string;
  inWords: string;
  qrLabel: (amount: string, bank: string, account: string) => string;
  bank: string;
  account: string;
  accountName: string;
  memo: string;
  due: string;
  /** The due instant in Vietnam's time, as printed after {@link SlipMessages.due}. */
  dueAt: (time: string) => string;
  /** An underpaid payment's slip asks for the rest only. */
  alreadyPaid: (received: string, fee: string) => string;
  stepsTitle: string;
  steps: string[];
  /** A payment that can no longer be paid prints this instead of a QR. */
  notPayable: { paid: string; expired: string; cancelled: string };
  loading: string;
  errorTitle: string;
  errors: Record<string, string>;
}

const vi: SlipMessages = {
  title: 'Phiếu nộp phí, lệ phí',
  unit: 'Đơn vị thu',
  purpose: 'Nộp cho',
  dossier: 'Mã hồ sơ',
  amount: 'Số tiền',
  inWords: 'Bằng chữ',
  qrLabel: (amount, bank, account) => `Mã QR chuyển khoản ${amount} đến tài khoản ${account} tại ${bank}`,
  bank: 'Ngân hàng',
  account: 'Số tài khoản',
  accountName: 'Chủ tài khoản',
  memo: 'Nội dung chuyển khoản',
  due: 'Hạn nộp',
  dueAt: (time) => `${time} (giờ Việt Nam)`,
  alreadyPaid: (received, fee) => `Đã nhận ${received} trên ${fee}; phiếu này thu phần còn lại.`,
  stepsTitle: 'Cách nộp',
  steps: [
    'Mở ứng dụng ngân hàng hoặc ví điện tử, chọn Quét mã QR và quét mã trên phiếu.',
    'Kiểm tra số tiền và nội dung chuyển khoản, rồi xác nhận. Không sửa nội dung.',
    'Không quét được: chuyển khoản đúng số tiền vào tài khoản trên, ghi đúng nội dung chuyển khoản.',
  ],
  notPayable: {
    paid: 'Khoản thu này đã được thanh toán: không cần in phiếu.',
    expired: 'Khoản thu này đã hết hạn: không in phiếu. Cán bộ tạo khoản thu mới nếu cần.',
    cancelled: 'Khoản thu này đã bị hủy: không in phiếu.',
  },
  loading: 'Đang tải khoản thu…',
  errorTitle: 'Không in được phiếu',
  errors: {
    HTTP_ERROR: 'Máy chủ thanh toán báo lỗi.',
    NETWORK_ERROR: 'Không kết nối được máy chủ thanh toán.',
    INVALID_JSON: 'Máy chủ trả về dữ liệu không đọc được.',
    INVALID_RESOURCE: 'Dữ liệu khoản thu không hợp lệ.',
    INVALID_QR: 'Mã QR của khoản thu không hợp lệ.',
    QR_MISMATCH: 'Mã QR không khớp với tài khoản hoặc số tiền của khoản thu.',
    QR_TOO_LONG: 'Nội dung quá dài để tạo mã QR.',
    UNKNOWN: 'Đã xảy ra lỗi không xác định.',
  },
};

const en: SlipMessages = {
  title: 'Fee payment slip',
  unit: 'Collected by',
  purpose: 'For',
  dossier: 'Dossier',
  amount: 'Amount',
  inWords: 'In words',
  qrLabel: (amount, bank, account) => `Transfer QR code for ${amount} to account ${account} at ${bank}`,
  bank: 'Bank',
  account: 'Account number',
  accountName: 'Account holder',
  memo: 'Transfer memo',
  due: 'Pay by',
  dueAt: (time) => `${time} (Vietnam time)`,
  alreadyPaid: (received, fee) => `${received} of ${fee} received; this slip collects the rest.`,
  stepsTitle: 'How to pay',
  steps: [
    'Open your bank or e-wallet app, choose Scan QR and scan the code on this slip.',
    'Check the amount and the transfer memo, then confirm. Do not change the memo.',
    'Cannot scan? Transfer exactly the amount to the account above with exactly this memo.',
  ],
  notPayable: {
    paid: 'This payment has been paid: no slip to print.',
    expired: 'This payment has expired: no slip to print. The officer creates a new one if needed.',
    cancelled: 'This payment was cancelled: no slip to print.',
  },
  loading: 'Loading the payment…',
  errorTitle: 'The slip cannot be printed',
  errors: {
    HTTP_ERROR: 'The payment server answered with an error.',
    NETWORK_ERROR: 'The payment server cannot be reached.',
    INVALID_JSON: 'The payment server sent data that cannot be read.',
    INVALID_RESOURCE: 'The payment data is not valid.',
    INVALID_QR: "The payment's QR code is not valid.",
    QR_MISMATCH: "The QR code does not match the payment's account or amount.",
    QR_TOO_LONG: 'The text is too long for a QR code.',
    UNKNOWN: 'Something went wrong.',
  },
};

/** Both tables: a slip is printed, not on the first paint of a page, so English is not a lazy chunk. */
export const SLIP_MESSAGES: Record<Locale, SlipMessages> = { vi, en };
