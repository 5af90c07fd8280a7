import type { CompiledFlags, JsonObject, JsonValue } from '@flagfleet/flag-engine';

/**
 * The `$evaluators` of a sync document, sent once and referenced with `$ref` as the author wrote them. Every
 * in-process provider expands a `$ref` itself before it parses the document: flagd-core's `transform` (JS),
 * `transposeEvaluators` in flagd's core/pkg/evaluator/json.go (Go: flagd and the Go provider) and in java-sdk-contrib's
 * FlagParser (Java), each by replacing the text `{"$ref":"<name>"}` with the evaluator's JSON (docs/flagd.md).
 * Written out at every reference instead, 5,000 references to one large evaluator made one flag's text hundreds of
 * megabytes. A client's expansion is still that size, so a document is charged what it expands to.
 */
export class SharedEvaluators {
  /** The evaluators sent once, by name: those every provider's text replacement expands exactly. */
  private readonly sent = new Set<string>();
  private readonly texts = new Map<string, string>();

  private constructor(private readonly evaluators: Readonly<Record<string, JsonValue>>) {}

  /** Null for a document without `$evaluators` (every AppConfig document, most flagd ones). */
  static of(flags: CompiledFlags): SharedEvaluators | null {
    const names = Object.keys(flags.evaluators);
    if (names.length === 0) return null;
    const shared = new SharedEvaluators(flags.evaluators);
    // A `{"$ref": name}` object that the service does not resolve (inside an evaluator, flagd's one level, or in a
    // variant value) would be expanded by the providers' text replacement all the same: such a name is inlined.
    const unresolved = new Set<string>();
    for (const name of names) collectRefs(flags.evaluators[name], unresolved);
    for (const definition of flags.definitions.values())
      for (const value of Object.values(definition.variants)) collectRefs(value, unresolved);
    for (const name of names)
      if (!unresolved.has(name) && expandsExactly(name, shared.text(name))) shared.sent.add(name);
    return shared;
  }

  /** The evaluator's JSON, written once per document. */
  text(name: string): string {
    let text = this.texts.get(name);
    if (text === undefined) {
      text = JSON.stringify(this.evaluators[name]);
      this.texts.set(name, text);
    }
    return text;
  }

  isSent(name: string): boolean {
    return this.sent.has(name);
  }

  /**
   * `targeting` (as written) as pieces of JSON text, with its sent `$ref`s kept and any other resolved `$ref`
   * written out (the evaluator's text, a shared piece: nothing is copied per reference). Stops (`fits` false) once
   * what a client would hold after expanding it is over `budget` characters.
   */
  write(targeting: JsonObject, budget: number): TargetingText {
    const out: TargetingText = { pieces: [], chars: 0, expandedChars: 0, refs: [], fits: true };
    out.fits = this.writeValue(targeting, out, budget);
    return out;
  }

  private writeValue(value: JsonValue, out: TargetingText, budget: number): boolean {
    if (value === null || typeof value !== 'object') return push(out, JSON.stringify(value), 0, budget);
    if (Array.isArray(value)) {
      if (!push(out, '[', 0, budget)) return false;
      for (let i = 0; i < value.length; i++)
        if ((i > 0 && !push(out, ',', 0, budget)) || !this.writeValue(value[i], out, budget)) return false;
      return push(out, ']', 0, budget);
    }
    const keys = Object.keys(value);
    const ref = refName(value, keys);
    if (ref !== null && Object.hasOwn(this.evaluators, ref)) {
      out.refs.push(ref);
      const written = JSON.stringify(value);
      const text = this.text(ref);
      // Sent: the client replaces it with the evaluator's text. Not sent: written out here, in one piece.
      return this.sent.has(ref)
        ? push(out, written, text.length - written.length, budget)
        : push(out, text, 0, budget);
    }
    if (!push(out, '{', 0, budget)) return false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!push(out, `${i > 0 ? ',' : ''}${JSON.stringify(key)}:`, 0, budget)) return false;
      if (!this.writeValue(value[key], out, budget)) return false;
    }
    return push(out, '}', 0, budget);
  }
}

/** A targeting's JSON in pieces (joined only once the whole document is known to fit). */
export interface TargetingText {
  readonly pieces: string[];
  /** The characters sent. */
  chars: number;
  /** The characters a client holds after replacing each sent `$ref` with its evaluator. */
  expandedChars: number;
  /** The names of the resolved `$ref`s written, one per reference. */
  readonly refs: string[];
  /** False when writing stopped at the budget (the pieces are then incomplete). */
  fits: boolean;
}

function push(out: TargetingText, piece: string, expansion: number, budget: number): boolean {
  out.pieces.push(piece);
  out.chars += piece.length;
  out.expandedChars += piece.length + expansion;
  return out.expandedChars <= budget;
}

function refName(value: JsonObject, keys: readonly string[]): string | null {
  return keys.length === 1 && keys[0] === '$ref' && typeof value.$ref === 'string' ? value.$ref : null;
}

function collectRefs(value: JsonValue, names: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, names);
    return;
  }
  const ref = refName(value, Object.keys(value));
  if (ref !== null) names.add(ref);
  else for (const item of Object.values(value)) collectRefs(item, names);
}

/**
 * Whether every provider's replacement of `{"$ref":"<name>"}` gives this evaluator back: the name is written the
 * same in each one's normalised JSON (Go's encoder also escapes <, > and &, and U+2028/2029); the Go evaluator refuses
 * the whole document for an evaluator text under 3 characters ("evaluator object is empty"); and JavaScript's
 * `replaceAll` reads `$$`, `$&`, `` $` `` and `$'` in the replacement as patterns.
 */
function expandsExactly(name: string, text: string): boolean {
  return (
    JSON.stringify(name) === `"${name}"` &&
    !/[<>&\u2028\u2029]/.test(name) &&
    text.length >= 3 &&
    !/\$[$&`']/.test(text)
  );
}
