import type { FlagAttributes, JsonValue } from '../model';

/**
 * AppConfig feature flags as read from any of the three shapes of a `AWS.AppConfig.FeatureFlags` profile
 * (authoring document, retrieval JSON, retrieval Ion), before they become the engine's flag definitions.
 */

export type { AttributeValue, FlagAttributes } from '../model';

/** A variant of a multi-variant flag; the default variant is last and has no rule. */
export interface AppConfigVariant {
  readonly name: string;
  readonly enabled: boolean;
  /** The rule compiled to the engine's JSON Logic; absent for the default variant. */
  readonly condition?: JsonValue;
  readonly attributes: FlagAttributes;
}

export interface AppConfigFlag {
  readonly key: string;
  /** A basic flag: `enabled` and its attributes. */
  readonly basic?: { readonly enabled: boolean; readonly attributes: FlagAttributes };
  /** A multi-variant flag: variants in evaluation order, the default last. */
  readonly variants?: readonly AppConfigVariant[];
}

/** A rule literal: AppConfig's operand types (W3C timestamps as Unix milliseconds). */
export type RuleLiteral =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'timestamp'; readonly value: number; readonly text: string };

/** A parsed rule s-expression; `at` locates the node (a character offset in rule text, or a path in Ion). */
export type RuleNode = (
  | RuleLiteral
  | { readonly kind: 'context'; readonly key: string }
  | { readonly kind: 'list'; readonly items: readonly RuleNode[] }
  | { readonly kind: 'symbol'; readonly name: string }
  | {
      readonly kind: 'call';
      readonly operator: string;
      readonly args: readonly RuleNode[];
      readonly named: Readonly<Record<string, RuleNode>>;
    }
) & { readonly at: string };

/** A rule that does not parse or does not fit its operator: `at` says where. */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly at: string,
  ) {
    super(message);
    this.name = 'RuleError';
  }
}

/** Bounds on one rule, so no document can drive unbounded recursion or work. */
export const MAX_RULE_LENGTH = 16_384;
export const MAX_RULE_DEPTH = 64;
export const MAX_RULE_NODES = 16_384;
