/**
 * Nesting depth of a JSON text, counted without parsing (brackets outside strings), so a deeply nested
 * body is refused before JSON.parse recurses into it.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  if (openingBrackets(text, maxDepth) <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * Opening brackets anywhere in the text (strings included), counted natively up to `limit + 1`: a text
 * with no more than `limit` of them cannot nest deeper, and typical bodies skip the character scan.
 */
function openingBrackets(text: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1 && count <= limit; i = text.indexOf('{', i + 1)) count++;
  for (let i = text.indexOf('['); i !== -1 && count <= limit; i = text.indexOf('[', i + 1)) count++;
  return count;
}
