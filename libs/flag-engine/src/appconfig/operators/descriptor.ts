import type { JsonValue } from '../../model';
import type { Truth } from '../flagd/truth';

export type AppConfigOperator = (args: unknown, context: unknown) => unknown;

/** A compiled AppConfig rule part: context in, operand or truth value out. Never throws. */
export type RuleClosure = (context: unknown) => unknown;

/** What an operator's flagd translation may ask of the translator: its operands' truths, and why not. */
export interface FlagdRules {
  truth(node: JsonValue): Truth;
  /** Why operands have no flagd equivalent (an operator's value as an operand, a dotted key, …). */
  operandProblem(x: JsonValue, other: JsonValue): string;
}

/**
 * The operand shapes of rule text: `comparison` two values (a timestamp literal compares timestamps), `text` two
 * values, `logical` one or more conditions, `not` one condition, `list` a value and a list, `matches` in:: and
 * pattern::, `exists` key::, `split` pct::, by:: and seed::.
 */
export type RuleOperands =
  'comparison' | 'text' | 'logical' | 'not' | 'list' | 'matches' | 'exists' | 'split' | 'internal';

/**
 * Everything flagfleet knows about one AppConfig operator, in its own file and registered in operators/index.ts:
 * a new operator is that file and its spec.
 */
export interface AppConfigOperatorDescriptor {
  /** The operator's name in rule text (`eq`); the internal timestamp conversion is `timestamp`. */
  readonly ruleName: string;
  /** How rule text writes its operands (checked by rules/compile-rule.ts); `internal`: never written in rule text. */
  readonly operands: RuleOperands;
  /** The JSON Logic operator rules compile to (`appconfig_eq`). */
  readonly name: string;
  /** Interpreted: the operands' values in, the answer out. */
  readonly evaluate: AppConfigOperator;
  /** Folded when its operands are constant. */
  readonly deterministic: boolean;
  /** Compiled from the closures of its operands; without it, `evaluate` over their values. */
  readonly closure?: (parts: readonly RuleClosure[], args: readonly unknown[]) => RuleClosure;
  /**
   * The same answer in flagd's standard JSON Logic (appconfig/flagd/targeting.ts), or a throw of `NO(reason)`
   * (flagd/truth.ts) when no exact equivalent exists.
   */
  readonly flagd: (args: readonly JsonValue[], rules: FlagdRules) => Truth;
  /** When its value is another operator's operand: why flagd cannot read it. */
  readonly flagdOperand?: string;
}
