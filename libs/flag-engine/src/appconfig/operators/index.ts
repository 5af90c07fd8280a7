import { APPCONFIG_AND, appconfigAnd } from './and';
import { APPCONFIG_BEGINS_WITH, appconfigBeginsWith } from './begins-with';
import { APPCONFIG_CONTAINS, appconfigContains } from './contains';
import { APPCONFIG_ENDS_WITH, appconfigEndsWith } from './ends-with';
import { APPCONFIG_EQ, appconfigEq } from './eq';
import { APPCONFIG_EXISTS, appconfigExists } from './exists';
import { APPCONFIG_GT, appconfigGt } from './gt';
import { APPCONFIG_GTE, appconfigGte } from './gte';
import { APPCONFIG_IN, appconfigIn } from './in';
import { APPCONFIG_LT, appconfigLt } from './lt';
import { APPCONFIG_LTE, appconfigLte } from './lte';
import { APPCONFIG_MATCHES, appconfigMatches } from './matches';
import { APPCONFIG_NOT, appconfigNot } from './not';
import { APPCONFIG_OR, appconfigOr } from './or';
import { APPCONFIG_SPLIT, appconfigSplit } from './split';
import { APPCONFIG_TIMESTAMP, appconfigTimestamp } from './timestamp';

export type AppConfigOperator = (args: unknown, context: unknown) => unknown;

/**
 * The JSON Logic operators AppConfig rules compile to, keyed by the AppConfig operator name (plus the internal
 * timestamp conversion). Registered with the targeting engine in `operators/index.ts`; `deterministic` ones may be
 * folded when their arguments are constant.
 */
export const APPCONFIG_OPERATORS: Readonly<
  Record<
    string,
    { readonly name: string; readonly evaluate: AppConfigOperator; readonly deterministic: boolean }
  >
> = {
  eq: { name: APPCONFIG_EQ, evaluate: appconfigEq, deterministic: true },
  gt: { name: APPCONFIG_GT, evaluate: appconfigGt, deterministic: true },
  gte: { name: APPCONFIG_GTE, evaluate: appconfigGte, deterministic: true },
  lt: { name: APPCONFIG_LT, evaluate: appconfigLt, deterministic: true },
  lte: { name: APPCONFIG_LTE, evaluate: appconfigLte, deterministic: true },
  and: { name: APPCONFIG_AND, evaluate: appconfigAnd, deterministic: true },
  or: { name: APPCONFIG_OR, evaluate: appconfigOr, deterministic: true },
  not: { name: APPCONFIG_NOT, evaluate: appconfigNot, deterministic: true },
  begins_with: { name: APPCONFIG_BEGINS_WITH, evaluate: appconfigBeginsWith, deterministic: true },
  ends_with: { name: APPCONFIG_ENDS_WITH, evaluate: appconfigEndsWith, deterministic: true },
  contains: { name: APPCONFIG_CONTAINS, evaluate: appconfigContains, deterministic: true },
  in: { name: APPCONFIG_IN, evaluate: appconfigIn, deterministic: true },
  matches: { name: APPCONFIG_MATCHES, evaluate: appconfigMatches, deterministic: true },
  exists: { name: APPCONFIG_EXISTS, evaluate: appconfigExists, deterministic: false },
  split: { name: APPCONFIG_SPLIT, evaluate: appconfigSplit, deterministic: true },
  timestamp: { name: APPCONFIG_TIMESTAMP, evaluate: appconfigTimestamp, deterministic: true },
};
