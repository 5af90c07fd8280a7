import { Compiler, LogicEngine } from 'json-logic-engine';
import { APPCONFIG_OPERATOR_BY_NAME } from '../appconfig/operators';
import { compileClosure } from '../appconfig/operators/compile-closure';
import { cat, iterated, merge } from './bounded-builders';
import { ENDS_WITH, endsWith } from './ends-with';
import { charge, startRuleRun } from './evaluation-budget';
import { OWN_DATA_ACCESSORS } from './own-data';
import { FRACTIONAL, compileFractional, fractional } from './fractional';
import { SEM_VER, semVer } from './sem-ver';
import { STARTS_WITH, startsWith } from './starts-with';

export { FRACTIONAL } from './fractional';
export { MAX_EVALUATION_WORK } from './evaluation-budget';

/** A compiled JSON Logic rule: context in, result out (may throw on a broken rule; callers catch). */
export type CompiledRule = (context: unknown) => unknown;

/**
 * A compiled `$evaluators` entry, called (never copied) from every rule that references it, with the caller's
 * context and enclosing iteration scopes. Each call charges the run's budget the evaluator's size (see `build`).
 */
export type CompiledEvaluator = (context: unknown, above: unknown) => unknown;

/** Names the evaluator calls of a rule (`{"flagfleet:evaluator": name}`) resolve to. */
export type EvaluatorTable = ReadonlyMap<string, CompiledEvaluator>;

export interface TargetingEngine {
  /** Compiles a rule once; throws on unknown operators or malformed rules, or an evaluator call `evaluators` lacks. */
  build(rule: unknown, evaluators?: EvaluatorTable): CompiledRule;
  /** Compiles a `$evaluators` entry once, for the rules that call it. Throws as `build` does. */
  buildEvaluator(rule: unknown): CompiledEvaluator;
}

/** The operator a resolved `$ref` becomes (see compile/resolve-refs.ts). */
export const EVALUATOR_CALL = 'flagfleet:evaluator';

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

/** Shorter lists compile as well inline; longer ones would be generated code for V8 to parse on every compile. */
const PRESERVED_LIST_LENGTH = 32;

const isLiteral = (value: unknown): boolean => value === null || typeof value !== 'object';

/**
 * The list of every `in` over a long list of literals (thousands of ids) as one preserved value, which
 * json-logic-engine keeps by reference: compiled as written, each item was generated code (the longest step of
 * such a compile). `in` reads the list and never changes it, so sharing one array between runs is safe.
 */
function preserveLiteralLists(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(preserveLiteralLists);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([operator, args]): [string, unknown] => {
    if (operator === 'preserve') return [operator, args];
    if (
      operator === 'in' &&
      Array.isArray(args) &&
      args.length === 2 &&
      Array.isArray(args[1]) &&
      args[1].length >= PRESERVED_LIST_LENGTH &&
      args[1].every(isLiteral)
    )
      return [operator, [preserveLiteralLists(args[0]), { preserve: args[1] }]];
    return [operator, preserveLiteralLists(args)];
  });
  return Object.fromEntries(entries);
}

/** The operators that charge the budget when they run. */
const CHARGING: ReadonlySet<string> = new Set([...ITERATORS, 'merge', 'cat', EVALUATOR_CALL]);

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

/** The rule with each `{"flagfleet:evaluator": name}` given the compiled evaluator of that name. */
function bindEvaluators(node: unknown, evaluators: EvaluatorTable): unknown {
  if (Array.isArray(node)) return node.map((item) => bindEvaluators(item, evaluators));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  if (entries.length === 1 && entries[0][0] === EVALUATOR_CALL) {
    const name = entries[0][1];
    const evaluator = typeof name === 'string' ? evaluators.get(name) : undefined;
    if (evaluator === undefined) throw { type: 'Unknown evaluator', key: String(name) };
    return { [EVALUATOR_CALL]: [evaluator] };
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, bindEvaluators(value, evaluators)]));
}

/** JSON values in a rule: an upper bound of what one run of it does besides its iterations (charged on their own). */
function ruleSize(node: unknown): number {
  if (Array.isArray(node)) return node.reduce<number>((sum, item) => sum + ruleSize(item), 1);
  if (node === null || typeof node !== 'object') return 1;
  let size = 1;
  for (const value of Object.values(node)) size += ruleSize(value);
  return size;
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
  for (const { name, evaluate, deterministic } of APPCONFIG_OPERATOR_BY_NAME.values()) {
    const compile = (args: unknown, state: BuildState): string | false =>
      compiledCall(compileClosure({ [name]: args }, APPCONFIG_OPERATOR_BY_NAME), state);
    engine.addMethod(name, { method: evaluate, compile, deterministic } as never, { deterministic });
  }
  // A bound call carries the compiled evaluator itself: compiled code calls it, and so does the interpreter, which
  // json-logic-engine falls back to for some forms (a two-argument `if`).
  const evaluatorOf = (args: unknown): CompiledEvaluator => {
    const evaluator: unknown = Array.isArray(args) ? args[0] : args;
    if (typeof evaluator !== 'function') throw { type: 'Unbound evaluator call', key: String(evaluator) };
    return evaluator as CompiledEvaluator;
  };
  engine.addMethod(
    EVALUATOR_CALL,
    {
      // Not traversed: the argument is the function itself, never a rule to run.
      traverse: false,
      method: (args: unknown, context: unknown, above: unknown) => evaluatorOf(args)(context, above),
      compile: (args: unknown, state: BuildState) => {
        state.methods.push(evaluatorOf(args));
        return `methods[${state.methods.length - 1}](context, above)`;
      },
    } as never,
    { deterministic: false },
  );
  return {
    buildEvaluator: (rule) => {
      // Built as a function of the caller's context and scopes, so that relative paths (`../`) inside an iteration
      // read what they read when flagd inlines the evaluator there.
      const run = Compiler.build(preserveLiteralLists(chargeIterations(rule)), {
        engine,
        extraArguments: 'above',
      } as never) as CompiledEvaluator;
      // What one call runs, iterations aside: referenced N times, an evaluator costs N times its size.
      const size = ruleSize(rule);
      return (context, above) => {
        charge(size);
        return run(context, above);
      };
    },
    build: (rule, evaluators = new Map()) => {
      const run = engine.build(
        preserveLiteralLists(chargeIterations(bindEvaluators(rule, evaluators))),
      ) as CompiledRule;
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
