// The `phone` preset: the indicators of the one-stop evaluation criteria (Thông tư 01/2018/TT-VPCP)
// that the citizen can answer on their own phone. A module of its own so <qr-survey> loads it only
// when `survey="phone"` is used. It imports nothing at run time (the 3-level scale is passed in): a
// lazy chunk that imported from the CDN entry would turn that entry into a re-exporting facade.
import type { QuestionSet, SurveyOption } from './questions.js';

/**
 * `phone`: the indicators of the one-stop evaluation criteria that the citizen can answer (3, 4, 6, 7, 10, 11).
 *
 * @param scale3 The 3-level satisfaction scale, `satisfactionScale(3)`.
 */
export const phonePreset = (scale3: SurveyOption[]): QuestionSet => ({
  id: 'phone',
  title: { vi: 'Đánh giá việc giải quyết thủ tục hành chính', en: 'Rate how your procedure was handled' },
  questions: [
    {
      id: 'contacts',
      text: {
        vi: 'Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)',
        en: 'How many times did you have to contact the receiving office to complete your dossier (online included)?',
      },
      options: [
        { value: 'none', label: { vi: 'Không phải liên hệ', en: 'None' }, tone: 'positive', score: 2 },
        { value: 'once', label: { vi: '01 lần', en: 'Once' }, tone: 'neutral', score: 1 },
        { value: 'more', label: { vi: 'Từ 02 lần trở lên', en: 'Twice or more' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'offices',
      text: {
        vi: 'Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ',
        en: 'How many agencies or organisations did you have to contact to complete your dossier?',
      },
      options: [
        { value: 'none', label: { vi: 'Không phải liên hệ', en: 'None' }, tone: 'positive', score: 2 },
        { value: 'one_stop', label: { vi: 'Chỉ Bộ phận Một cửa', en: 'Only the one-stop counter' }, tone: 'neutral', score: 1 },
        { value: 'more', label: { vi: 'Nhiều hơn 01 cơ quan, đơn vị', en: 'More than one agency' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'publicity',
      text: { vi: 'Công khai các thủ tục hành chính', en: 'Public posting of the administrative procedure' },
      options: [
        {
          value: 'posted_and_online',
          label: { vi: 'Được niêm yết tại nơi tiếp nhận và đăng tải trực tuyến', en: 'Posted at the office and online' },
          tone: 'positive',
          score: 2,
        },
        { value: 'posted_or_online', label: { vi: 'Được niêm yết hoặc đăng tải trực tuyến', en: 'Posted at the office or online' }, tone: 'neutral', score: 1 },
        { value: 'incomplete', label: { vi: 'Công khai không đầy đủ', en: 'Not fully public' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'attitude',
      text: {
        vi: 'Thái độ của cán bộ, công chức khi hướng dẫn lập hồ sơ, tiếp nhận và giải quyết hồ sơ',
        en: 'The officers’ attitude when guiding, receiving and handling your dossier',
      },
      options: [
        {
          value: 'helpful',
          label: { vi: 'Tận tình, chu đáo; không gây phiền hà, nhũng nhiễu', en: 'Helpful and attentive; no trouble or harassment' },
          tone: 'positive',
          score: 2,
        },
        { value: 'proper', label: { vi: 'Đúng mực; không gây phiền hà, nhũng nhiễu', en: 'Proper; no trouble or harassment' }, tone: 'neutral', score: 1 },
        { value: 'harassment', label: { vi: 'Có gây phiền hà, nhũng nhiễu', en: 'Caused trouble or harassment' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'convenience',
      text: { vi: 'Mức độ thuận tiện khi sử dụng dịch vụ', en: 'How convenient was the service?' },
      options: scale3,
    },
    {
      id: 'overall',
      text: { vi: 'Đánh giá tổng thể dịch vụ', en: 'Overall assessment of the service' },
      options: scale3,
    },
  ],
  comment: 'always',
  commentMaxLength: 1000,
  contactOptIn: true,
});
