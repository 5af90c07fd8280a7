import { LogicEngine } from 'json-logic-engine';
import { APPCONFIG_OPERATORS } from '../appconfig/operators';
import { compileClosure } from '../appconfig/operators/compile-closure';
import { cat, iterated, merge } from './bounded-builders';
import { ENDS_WITH, endsWith } from './ends-with';
import { startRuleRun } from './evaluation-budget';
import { OWN_DATA_ACCESSORS } from './own-data';
import { FRACTIONAL, compileFractional, fractional } from './fractional';
import { SEM_VER, semVer } from './sem-ver';
import { STARTS_WITH, startsWith } from './starts-with';

export { FRACTIONAL } from './fractional';
export { MAX_EVALUATION_WORK } from './evaluation-budget';

/** A compiled JSON Logic rule: context in, result out (may throw on a broken rule; callers catch). */
export type CompiledRule = (context: unknown) => unknown;

export interface TargetingEngine {
  /** Compiles a rule once; throws on unknown operators or malformed rules. */
  build(rule: unknown): CompiledRule;
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

/** JSON Logic's iterators; their input is charged to the run's budget (see `chargeIterations`). */
const ITERATORS: ReadonlySet<string> = new Set(['map', 'filter', 'reduce', 'all', 'every', 'some', 'none']);
const ITERATED = 'flagfleet:iterated';

/**
 * Wraps the input of every iterator in the charging identity operator, so the steps of nested iterations add
 * up against the budget wherever they run (compiled or interpreted).
 */
function chargeIterations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(chargeIterations);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([operator, args]): [string, unknown] => {
    if (operator === 'preserve') return [operator, args];
    const charged = chargeIterations(args);
    if (!ITERATORS.has(operator) || !Array.isArray(charged) || charged.length === 0)
      return [operator, charged];
    return [operator, [{ [ITERATED]: [charged[0]] }, ...charged.slice(1)]];
  });
  return Object.fromEntries(entries);
}

/** The operators that charge the budget when they run. */
const CHARGING: ReadonlySet<string> = new Set([...ITERATORS, 'merge', 'cat']);

function chargesBudget(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(chargesBudget);
  if (node === null || typeof node !== 'object') return false;
  for (const [operator, args] of Object.entries(node))
    if (operator !== 'preserve' && (CHARGING.has(operator) || chargesBudget(args))) return true;
  return false;
}

/** The part of json-logic-engine's build state a compile hook uses: closures the generated code can call. */
interface BuildState {
  readonly methods: unknown[];
}

/** A compile hook's answer: a call of `closure` from the generated code, or false (compile it as usual). */
function compiledCall(closure: ((context: unknown) => unknown) | null, state: BuildState): string | false {
  if (closure === null) return false;
  state.methods.push(closure);
  return `methods[${state.methods.length - 1}](context)`;
}

/** The one place where the custom operators are registered. */
export function createTargetingEngine(): TargetingEngine {
  // No constant folding: compiling never runs any part of a rule, so its cost is linear in the rule's size.
  const engine = new LogicEngine(undefined, { disableInline: true });
  engine.truthy = truthy;
  // The builders whose output can grow, replaced by versions that charge it to the run's budget.
  engine.addMethod('merge', merge, { deterministic: true });
  engine.addMethod('cat', cat, { deterministic: true });
  engine.addMethod(ITERATED, iterated, { deterministic: true });
  // Context lookups read own properties only, never through the prototype chain.
  for (const [name, accessor] of Object.entries(OWN_DATA_ACCESSORS))
    engine.addMethod(name, accessor, { deterministic: false });
  // Pure functions of their arguments: the compiler may fold them when the arguments are constant.
  engine.addMethod(STARTS_WITH, startsWith, { deterministic: true });
  engine.addMethod(ENDS_WITH, endsWith, { deterministic: true });
  engine.addMethod(SEM_VER, semVer, { deterministic: true });
  // Reads `$flagd` and `targetingKey` from the context: never folded. Literal buckets are parsed at compile time.
  engine.addMethod(
    FRACTIONAL,
    {
      method: fractional,
      compile: (args: unknown, state: BuildState) => compiledCall(compileFractional(args), state),
    } as never,
    { deterministic: false },
  );
  // AppConfig's rule operators (`appconfig_eq`, …): AppConfig rules compile to JSON Logic that uses them.
  // Each AppConfig subtree compiles to direct closures (see compileClosure); the method serves interpretation.
  const appConfigOperators = new Map(Object.values(APPCONFIG_OPERATORS).map((op) => [op.name, op.evaluate]));
  for (const { name, evaluate, deterministic } of Object.values(APPCONFIG_OPERATORS)) {
    const compile = (args: unknown, state: BuildState): string | false =>
      compiledCall(compileClosure({ [name]: args }, appConfigOperators), state);
    engine.addMethod(name, { method: evaluate, compile, deterministic } as never, { deterministic });
  }
  return {
    build: (rule) => {
      const run = engine.build(chargeIterations(rule)) as CompiledRule;
      // Only iterators and builders charge the budget: a rule without them needs no fresh budget per run.
      if (!chargesBudget(rule)) return run;
      return (context) => {
        startRuleRun();
        return run(context);
      };
    },
  };
}

/** A thrown rule error as text: json-logic-engine throws `{type, key?}` objects, custom operators Errors. */
export function describeRuleError(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'type' in error) {
    const { type, key } = error as { type: unknown; key?: unknown };
    return key === undefined ? String(type) : `${String(type)} "${String(key)}"`;
  }
  return error instanceof Error ? error.message : 'unknown error';
}

/** The engine every flag document is compiled with (compiled rules are plain functions; it holds no document state). */
export const targetingEngine: TargetingEngine = createTargetingEngine();
