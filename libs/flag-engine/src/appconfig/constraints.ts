import type { JsonValue } from '../model';
import { isJsonObject } from '../document/read-json';
import type { RE2JS } from 're2js';
import { compilePattern, patternProblem } from './operators/matches';

/** An attribute's declared constraints in an authoring document (`flags.<key>.attributes.<name>.constraints`). */
export interface AttributeConstraints {
  readonly type: 'string' | 'number' | 'boolean' | 'array';
  readonly required: boolean;
  readonly pattern?: RE2JS;
  readonly enum?: readonly (string | number)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly elements?: AttributeConstraints;
}

const KEYS: Readonly<Record<AttributeConstraints['type'], readonly string[]>> = {
  string: ['type', 'required', 'pattern', 'enum'],
  number: ['type', 'required', 'minimum', 'maximum'],
  boolean: ['type', 'required'],
  array: ['type', 'required', 'elements'],
};

/** Reads a constraints object, or gives the problem with it as text. */
export function readConstraints(raw: JsonValue, element = false): AttributeConstraints | string {
  if (!isJsonObject(raw)) return 'constraints must be an object';
  const type = raw.type;
  const types = element ? ['string', 'number'] : ['string', 'number', 'boolean', 'array'];
  if (typeof type !== 'string' || !types.includes(type))
    return `constraints need "type": one of ${types.map((t) => `"${t}"`).join(', ')}`;
  const kind = type as AttributeConstraints['type'];
  for (const key of Object.keys(raw))
    if (!KEYS[kind].includes(key)) return `"${key}" is not a constraint of a ${kind} attribute`;
  if (raw.required !== undefined && typeof raw.required !== 'boolean') return '"required" must be a boolean';
  const constraints: { -readonly [K in keyof AttributeConstraints]: AttributeConstraints[K] } = {
    type: kind,
    required: raw.required === true,
  };
  if (raw.pattern !== undefined) {
    if (typeof raw.pattern !== 'string') return '"pattern" must be a string';
    if (raw.enum !== undefined) return '"pattern" and "enum" cannot both be given';
    const regex = compilePattern(raw.pattern);
    if (typeof regex === 'string') return `"pattern" ${patternProblem(raw.pattern)}`;
    constraints.pattern = regex;
  }
  if (raw.enum !== undefined) {
    const values = raw.enum;
    if (!Array.isArray(values) || values.length === 0 || values.length > 100)
      return '"enum" must be a list of 1 to 100 values';
    if (!values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))))
      return '"enum" values must be strings or integers';
    constraints.enum = values as (string | number)[];
  }
  for (const bound of ['minimum', 'maximum'] as const) {
    const value = raw[bound];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return `"${bound}" must be a number`;
    constraints[bound] = value;
  }
  if (
    constraints.minimum !== undefined &&
    constraints.maximum !== undefined &&
    constraints.minimum > constraints.maximum
  )
    return '"minimum" is greater than "maximum"';
  if (raw.elements !== undefined) {
    const elements = readConstraints(raw.elements, true);
    if (typeof elements === 'string') return `elements: ${elements}`;
    constraints.elements = elements;
  }
  return constraints;
}

/** Why a value breaks its attribute's constraints, or null when it satisfies them. */
export function violation(value: JsonValue, constraints: AttributeConstraints): string | null {
  switch (constraints.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be a boolean';
    case 'number':
      if (typeof value !== 'number') return 'must be a number';
      if (constraints.minimum !== undefined && value < constraints.minimum)
        return `must be at least ${constraints.minimum}`;
      if (constraints.maximum !== undefined && value > constraints.maximum)
        return `must be at most ${constraints.maximum}`;
      return null;
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (constraints.pattern !== undefined && !constraints.pattern.test(value))
        return `must match the pattern ${JSON.stringify(constraints.pattern.pattern())}`;
      if (constraints.enum !== undefined && !constraints.enum.some((allowed) => String(allowed) === value))
        return `must be one of ${constraints.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}`;
      return null;
    case 'array': {
      if (!Array.isArray(value)) return 'must be an array';
      const { elements } = constraints;
      if (elements === undefined) return null;
      for (let i = 0; i < value.length; i++) {
        const problem = violation(value[i], elements);
        if (problem !== null) return `element ${i} ${problem}`;
      }
      return null;
    }
  }
}
