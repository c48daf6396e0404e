// The per-row work of an online read, done once per view version instead of once per row. A stored row
// holds its values as a JSON array (text) in the view version's feature order; a read answers
// `{ feature: value }` objects. `ValuesShape` turns one into the other two ways:
//   - `fromArray`: the parsed array → a fresh object (for in-process callers), built by a function
//     compiled for this feature list, so every row gets the same hidden class in one allocation instead
//     of growing a dictionary property by property;
//   - `jsonFromStored`: the stored text → the object's JSON text (for the gateway), by cutting the array
//     text at its top-level commas and putting `"name":` before each element: no parse, no objects.
// Both give what `JSON.stringify` of the old per-row loop gave: a missing trailing element is null,
// extra elements are ignored.

export interface ValuesShape {
  readonly names: readonly string[];
  /** A fresh `{ name: values[i] ?? null }` in feature order. */
  fromArray(values: readonly unknown[]): Record<string, unknown>;
  /** A fresh object with every feature null. */
  empty(): Record<string, unknown>;
  /** The JSON text of `fromArray(JSON.parse(stored))`. */
  jsonFromStored(stored: string): string;
  /** The JSON text of `empty()`. */
  readonly emptyJson: string;
}

export function valuesShape(names: readonly string[]): ValuesShape {
  // Property names go into the generated source as JSON string literals (valid JS string literals);
  // `__proto__` as a computed key, so it defines an own property instead of setting the prototype.
  const props = names.map((name, i) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: v[${i}] ?? null`);
  const fromArray = new Function('v', `return { ${props.join(', ')} };`) as (values: readonly unknown[]) => Record<string, unknown>;
  const none: unknown[] = [];
  const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const emptyJson = names.length === 0 ? '{}' : `${prefixes.join('null')}null}`;
  return {
    names,
    fromArray,
    empty: () => fromArray(none),
    emptyJson,
    jsonFromStored(stored: string): string {
      const spliced = spliceArray(stored, prefixes);
      return spliced ?? JSON.stringify(fromArray(JSON.parse(stored) as unknown[]));
    },
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * `[e0,e1,…]` → `{"n0":e0,"n1":e1,…}` (prefixes[i] is `{"n0":` or `,"ni":`), or undefined when the text
 * is not one well-formed array (the caller then parses it, and a corrupt row fails as loudly as before).
 * Elements are copied as they are: JSON scalars as the materializer wrote them (nested arrays and
 * objects are kept whole).
 */
export function spliceArray(text: string, prefixes: readonly string[]): string | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
  i++;
  let out = '';
  let count = 0;
  let start = i;
  let depth = 0;
  let sawElement = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes included.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
      if (i >= n) return undefined;
      sawElement = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      sawElement = true;
    } else if (c === CLOSE_BRACE) {
      if (--depth < 0) return undefined;
    } else if (c === CLOSE_BRACKET && depth > 0) {
      depth--;
    } else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
      if (!sawElement && (c === COMMA || count > 0)) return undefined; // `[,1]`, `[1,]`
      if (sawElement && count < prefixes.length) out += prefixes[count] + text.slice(start, i).trim();
      if (sawElement) count++;
      if (c === CLOSE_BRACKET) break;
      start = i + 1;
      sawElement = false;
    } else if (!isSpace(c)) {
      sawElement = true;
    }
  }
  if (i >= n) return undefined; // no closing bracket
  for (let j = i + 1; j < n; j++) if (!isSpace(text.charCodeAt(j))) return undefined;
  if (prefixes.length === 0) return '{}';
  for (; count < prefixes.length; count++) out += `${prefixes[count]}null`;
  return `${out}}`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
