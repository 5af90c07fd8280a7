import { LogicEngine } from 'json-logic-engine';
import { ENDS_WITH, endsWith } from './ends-with';
import { FRACTIONAL, fractional } from './fractional';
import { SEM_VER, semVer } from './sem-ver';
import { STARTS_WITH, startsWith } from './starts-with';

export { murmur3 } from './murmur3';
export { FRACTIONAL } from './fractional';

/** A compiled JSON Logic rule: context in, result out (may throw on a broken rule; callers catch). */
export type CompiledRule = (context: unknown) => unknown;

export interface TargetingEngine {
  /** Compiles a rule once; throws on unknown operators or malformed rules. */
  build(rule: unknown): CompiledRule;
  /** Interprets a rule (for tests and tooling; the hot path uses build). */
  run(rule: unknown, data?: unknown): unknown;
}

/**
 * JSON Logic truthiness as json-logic-engine defines it ([] and {} are falsy), without its
 * `value.constructor.name` probe, which throws on prototype-less objects.
 */
function truthy(value: unknown): unknown {
  if (!value) return value;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return Object.keys(value).length > 0;
  }
  return value;
}

/** The one place where the custom operators are registered. */
export function createTargetingEngine(): TargetingEngine {
  const engine = new LogicEngine();
  engine.truthy = truthy;
  // Pure functions of their arguments: the compiler may fold them when the arguments are constant.
  engine.addMethod(STARTS_WITH, startsWith, { deterministic: true });
  engine.addMethod(ENDS_WITH, endsWith, { deterministic: true });
  engine.addMethod(SEM_VER, semVer, { deterministic: true });
  // Reads `$flagd` and `targetingKey` from the context: never folded.
  engine.addMethod(FRACTIONAL, fractional, { deterministic: false });
  return {
    build: (rule) => engine.build(rule) as CompiledRule,
    run: (rule, data) => engine.run(rule, data) as unknown,
  };
}

/** The engine every flag document is compiled with (compiled rules are plain functions; it holds no document state). */
export const targetingEngine: TargetingEngine = createTargetingEngine();
