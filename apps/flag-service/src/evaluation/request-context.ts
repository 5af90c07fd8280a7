import type { EvaluationContext } from '@flagfleet/flag-engine';

export type ContextParse = { ok: true; context: EvaluationContext } | { ok: false; details: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The OFREP request body `{"context": {...}}`. A missing body or context is an empty context
 * (lenient for curl users); anything else that is not an object is INVALID_CONTEXT.
 */
export function contextFromBody(body: unknown): ContextParse {
  if (body === undefined || body === null || body === '') return { ok: true, context: {} };
  if (!isPlainObject(body))
    return { ok: false, details: 'request body must be a JSON object {"context": {...}}' };
  const context = body.context;
  if (context === undefined || context === null) return { ok: true, context: {} };
  if (!isPlainObject(context)) return { ok: false, details: 'context must be a JSON object' };
  if (context.targetingKey !== undefined && typeof context.targetingKey !== 'string') {
    return { ok: false, details: 'context.targetingKey must be a string' };
  }
  return { ok: true, context };
}

/**
 * AppConfig Agent style `Context: key=value` headers: repeated headers or comma-separated pairs.
 * Node joins repeated headers with ", ", so both forms arrive as one list.
 */
export function contextFromAgentHeaders(header: string | string[] | undefined): ContextParse {
  const context: Record<string, string> = Object.create(null);
  if (header === undefined) return { ok: true, context };
  const parts = (Array.isArray(header) ? header : [header]).flatMap((value) => value.split(','));
  for (const part of parts) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0)
      return { ok: false, details: `Context header entry ${JSON.stringify(pair)} is not key=value` };
    const key = pair.slice(0, eq).trim();
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      return { ok: false, details: `Context key ${JSON.stringify(key)} is not allowed` };
    }
    context[key] = pair.slice(eq + 1).trim();
  }
  return { ok: true, context: { ...context } };
}
