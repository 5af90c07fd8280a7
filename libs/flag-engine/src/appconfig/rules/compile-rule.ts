import type { JsonValue } from '../../model';
import { RuleError, type RuleNode } from '../model';
import { APPCONFIG_OPERATORS } from '../operators';
import { patternProblem } from '../operators/matches';

/** The operators rule text may name, from their descriptors (the timestamp conversion is internal). */
function operatorNames(): string {
  return Object.values(APPCONFIG_OPERATORS)
    .filter((descriptor) => descriptor.operands !== 'internal')
    .map((descriptor) => descriptor.ruleName)
    .join(' ');
}

type Call = Extract<RuleNode, { kind: 'call' }>;

/**
 * Compiles a parsed AppConfig rule into the engine's JSON Logic, with one custom operator per AppConfig operator
 * (`appconfig_eq`, …, `appconfig_split`), so AppConfig flags and flagd flags share one evaluation model.
 * `flagKey` is baked into `split` (the hash of an unseeded split depends on the flag). Checks every operator's
 * operands; throws RuleError naming the place of the first problem.
 *
 * @example (and (eq $country "DE") (split pct::10 by::$userId)) →
 *   {"appconfig_and": [{"appconfig_eq": [{"var": "country"}, "DE"]}, {"appconfig_split": [10, {"var": "userId"}, null, "flag"]}]}
 */
export function compileRule(rule: RuleNode, flagKey: string): JsonValue {
  return condition(rule, flagKey);
}

function condition(node: RuleNode, flagKey: string): JsonValue {
  if (node.kind === 'boolean') return node.value;
  if (node.kind !== 'call')
    throw new RuleError(`expected an expression such as (eq $key "value"), got ${describe(node)}`, node.at);
  const op = node.operator;
  const spec = Object.hasOwn(APPCONFIG_OPERATORS, op) ? APPCONFIG_OPERATORS[op] : undefined;
  if (spec === undefined || spec.operands === 'internal')
    throw new RuleError(`unknown operator "${op}" (known: ${operatorNames()})`, node.at);
  // Each descriptor says how its operands are written; the checks are by that shape, never by name.
  switch (spec.operands) {
    case 'matches':
      return { [spec.name]: matches(node) };
    case 'exists':
      return { [spec.name]: [existsKey(node)] };
    case 'split':
      return { [spec.name]: split(node, flagKey) };
  }
  noNamed(node);
  switch (spec.operands) {
    case 'logical':
      if (node.args.length === 0) throw new RuleError(`(${op} …) needs at least one operand`, node.at);
      return { [spec.name]: node.args.map((arg) => condition(arg, flagKey)) };
    case 'not':
      arity(node, 1);
      return { [spec.name]: [condition(node.args[0], flagKey)] };
  }
  arity(node, 2);
  const [left, right] = node.args;
  switch (spec.operands) {
    case 'comparison':
      return { [spec.name]: comparisonOperands(left, right) };
    case 'text':
      return { [spec.name]: [operand(left), operand(right)] };
    case 'list':
      return { [spec.name]: [operand(left), list(right)] };
  }
}

/** A comparison with a timestamp literal compares Unix milliseconds: the other side is read as a timestamp. */
function comparisonOperands(left: RuleNode, right: RuleNode): JsonValue[] {
  if (left.kind !== 'timestamp' && right.kind !== 'timestamp') return [operand(left), operand(right)];
  return [timestampOperand(left), timestampOperand(right)];
}

function timestampOperand(node: RuleNode): JsonValue {
  if (node.kind === 'timestamp') return node.value;
  if (node.kind === 'context') return { [APPCONFIG_OPERATORS.timestamp.name]: [contextValue(node)] };
  throw new RuleError(
    `a timestamp can only be compared with a timestamp or a context value, got ${describe(node)}`,
    node.at,
  );
}

/** A value operand: a literal or a context value. */
function operand(node: RuleNode): JsonValue {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'context':
      return contextValue(node);
    case 'timestamp':
      throw new RuleError('a timestamp can only be compared (eq, gt, gte, lt, lte)', node.at);
    default:
      throw new RuleError(
        `expected a value ("text", a number, true/false or $key), got ${describe(node)}`,
        node.at,
      );
  }
}

function contextValue(node: Extract<RuleNode, { kind: 'context' }>): JsonValue {
  if (node.key === '') throw new RuleError('a context reference needs a key ($key)', node.at);
  // Context keys are flat names: dots, slashes and backslashes are escaped so that `var` reads the key as written.
  return { var: node.key.replace(/[\\./]/g, (char) => `\\${char}`) };
}

function list(node: RuleNode): JsonValue {
  if (node.kind === 'context') return contextValue(node);
  if (node.kind !== 'list')
    throw new RuleError(`(in …) needs a list such as ["a", "b"], got ${describe(node)}`, node.at);
  const items = node.items.map((item) => {
    if (item.kind === 'string' || item.kind === 'number' || item.kind === 'boolean') return item.value;
    throw new RuleError(`list items must be strings, numbers or booleans, got ${describe(item)}`, item.at);
  });
  // One preserved array per list: the operator builds its lookup set once.
  return { preserve: items };
}

function matches(node: Call): JsonValue[] {
  const value = named(node, 'in', 0, ['in', 'pattern']);
  const pattern = named(node, 'pattern', 1, ['in', 'pattern']);
  if (pattern.kind !== 'string') throw new RuleError('pattern:: must be a string', pattern.at);
  const problem = patternProblem(pattern.value);
  if (problem !== null) throw new RuleError(`pattern:: ${problem}`, pattern.at);
  return [operand(value), pattern.value];
}

function existsKey(node: Call): string {
  const key = named(node, 'key', 0, ['key']);
  if (key.kind !== 'string' || key.value === '')
    throw new RuleError('key:: must be a non-empty string', key.at);
  return key.value;
}

function split(node: Call, flagKey: string): JsonValue[] {
  if (node.args.length > 0) throw new RuleError('split takes only pct::, by:: and seed::', node.args[0].at);
  unknownNamed(node, ['pct', 'by', 'seed']);
  const pct = required(node, 'pct');
  if (pct.kind !== 'number' || pct.value < 0 || pct.value > 100)
    throw new RuleError('pct:: must be a number from 0 to 100', pct.at);
  const by = required(node, 'by');
  if (by.kind !== 'context') throw new RuleError('by:: must be a context value such as $userId', by.at);
  const seedNode = node.named.seed;
  let seed: string | null = null;
  if (seedNode !== undefined) {
    if (seedNode.kind !== 'string' && seedNode.kind !== 'number')
      throw new RuleError('seed:: must be a string', seedNode.at);
    seed = String(seedNode.value);
  }
  return [pct.value, contextValue(by), seed, flagKey];
}

/** A named argument (`name::value`), or the positional one at `index` when the rule omits the names. */
function named(node: Call, name: string, index: number, names: readonly string[]): RuleNode {
  unknownNamed(node, names);
  const value = Object.hasOwn(node.named, name) ? node.named[name] : node.args[index];
  if (value === undefined) throw new RuleError(`(${node.operator} …) needs ${name}::`, node.at);
  if (node.args.length + Object.keys(node.named).length !== names.length)
    throw new RuleError(`(${node.operator} …) takes ${names.map((n) => `${n}::`).join(' and ')}`, node.at);
  return value;
}

function required(node: Call, name: string): RuleNode {
  const value = Object.hasOwn(node.named, name) ? node.named[name] : undefined;
  if (value === undefined) throw new RuleError(`(${node.operator} …) needs ${name}::`, node.at);
  return value;
}

function unknownNamed(node: Call, names: readonly string[]): void {
  for (const name of Object.keys(node.named))
    if (!names.includes(name))
      throw new RuleError(`(${node.operator} …) has no argument ${name}::`, node.named[name].at);
}

function noNamed(node: Call): void {
  const [name] = Object.keys(node.named);
  if (name !== undefined)
    throw new RuleError(`(${node.operator} …) takes no named argument ${name}::`, node.named[name].at);
}

function arity(node: Call, count: number): void {
  if (node.args.length !== count)
    throw new RuleError(
      `(${node.operator} …) takes ${count} operand${count > 1 ? 's' : ''}, got ${node.args.length}`,
      node.at,
    );
}

function describe(node: RuleNode): string {
  switch (node.kind) {
    case 'call':
      return `(${node.operator} …)`;
    case 'context':
      return `$${node.key}`;
    case 'symbol':
      return `the symbol ${node.name}`;
    case 'list':
      return 'a list';
    case 'timestamp':
      return `the timestamp ${node.text}`;
    default:
      return JSON.stringify(node.value);
  }
}
