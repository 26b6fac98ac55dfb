// A module of its own so that only the question-set validator (a lazy chunk in the CDN build) carries it.

/** How an answer leans, for colour and for "always offer a comment after a low score". */
export const Tone = { Positive: 'positive', Neutral: 'neutral', Negative: 'negative' } as const;
export type Tone = (typeof Tone)[keyof typeof Tone];
