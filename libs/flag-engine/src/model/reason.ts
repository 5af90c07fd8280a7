/** Why an evaluation resolved as it did (OpenFeature / flagd reasons). */
export const Reason = {
  STATIC: 'STATIC',
  DEFAULT: 'DEFAULT',
  TARGETING_MATCH: 'TARGETING_MATCH',
  DISABLED: 'DISABLED',
  ERROR: 'ERROR',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
