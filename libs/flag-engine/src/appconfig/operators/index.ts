import { and } from './and';
import { beginsWith } from './begins-with';
import { contains } from './contains';
import type { AppConfigOperatorDescriptor } from './descriptor';
import { endsWith } from './ends-with';
import { eq } from './eq';
import { exists } from './exists';
import { gt } from './gt';
import { gte } from './gte';
import { inList } from './in';
import { lt } from './lt';
import { lte } from './lte';
import { matches } from './matches';
import { not } from './not';
import { or } from './or';
import { split } from './split';
import { timestamp } from './timestamp';

export type { AppConfigOperator, AppConfigOperatorDescriptor } from './descriptor';

/**
 * The one registry of AppConfig operators: each descriptor (its file) carries its evaluation, its compiled
 * closure and its flagd translation. Keyed by the AppConfig operator name (plus the internal timestamp
 * conversion); registered with the targeting engine in `../../operators/index.ts`.
 */
const DESCRIPTORS: readonly AppConfigOperatorDescriptor[] = [
  eq,
  gt,
  gte,
  lt,
  lte,
  and,
  or,
  not,
  beginsWith,
  endsWith,
  contains,
  inList,
  matches,
  exists,
  split,
  timestamp,
];

export const APPCONFIG_OPERATORS: Readonly<Record<string, AppConfigOperatorDescriptor>> = Object.fromEntries(
  DESCRIPTORS.map((descriptor) => [descriptor.ruleName, descriptor]),
);

/** The same descriptors by their JSON Logic name (`appconfig_eq`). */
export const APPCONFIG_OPERATOR_BY_NAME: ReadonlyMap<string, AppConfigOperatorDescriptor> = new Map(
  DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor]),
);
