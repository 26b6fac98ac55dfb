// The widget's own words, Vietnamese first (English is a separate module, loaded when it is needed).
// Question wording lives in the question sets, the comment step's in comment-step.ts.
export const vi = {
  officer: 'Công chức',
  counter: 'Quầy',
  thanks: 'Cảm ơn Ông/Bà đã đánh giá!',
  thanksQueued: 'Đánh giá đã được lưu và sẽ tự gửi khi có kết nối.',
  rated: 'Hồ sơ đã được đánh giá.',
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
