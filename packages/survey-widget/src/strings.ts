// The widget's own words, Vietnamese first (English is a separate module, loaded when it is needed).
// Question wording lives in the question sets, the comment step's in comment-step.ts.
export const vi = {
  officer: 'Công chức',
  counter: 'Quầy',
  thanks: 'Cảm ơn Ông/Bà đã đánh giá!',
  rated: 'Hồ sơ đã được đánh giá.',
  send: 'Gửi đánh giá',
  skip: 'Bỏ qua',
  needAnswer: 'Vui lòng chọn ít nhất một câu trả lời.',
  wait: 'Vui lòng chờ giây lát…',
  qrError: 'Không tạo được mã QR đánh giá.',
  rejected: 'Đánh giá chưa được ghi nhận. Xin Ông/Bà vui lòng đánh giá lại.',
};

export type Strings = typeof vi;
