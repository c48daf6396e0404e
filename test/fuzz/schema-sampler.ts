// Valid values from the JSON schemas in the OpenAPI document (the subset TypeBox emits: objects,
// arrays, strings with patterns/formats/lengths, numbers with bounds, enums, anyOf), drawn from a
// seeded Random so every case can be replayed.
import type { Random } from '../../packages/engine/src/util/random.js';
import type { JsonSchema } from './openapi-operations.js';

export const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.nextInt(items.length)];

/** A string matching the simple patterns the document uses: `^`, `$`, `[classes]` and `{m,n}` / `+` / `*` / `?`. */
export function sampleFromPattern(rng: Random, pattern: string): string {
  let out = '';
  const src = pattern.replace(/^\^/, '').replace(/\$$/, '');
  let i = 0;
  while (i < src.length) {
    let choices: string[];
    if (src[i] === '[') {
      const end = src.indexOf(']', i);
      const body = src.slice(i + 1, end);
      choices = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          for (let c = body.charCodeAt(j); c <= body.charCodeAt(j + 2); c++) choices.push(String.fromCharCode(c));
          j += 2;
        } else choices.push(body[j] === '\\' ? body[++j] : body[j]);
      }
      i = end + 1;
    } else {
      choices = [src[i] === '\\' ? src[++i] : src[i]];
      i++;
    }
    let min = 1;
    let max = 1;
    const q = /^\{(\d+)(?:,(\d*))?\}|^[+*?]/.exec(src.slice(i));
    if (q) {
      if (q[0] === '+') [min, max] = [1, 4];
      else if (q[0] === '*') [min, max] = [0, 4];
      else if (q[0] === '?') [min, max] = [0, 1];
      else [min, max] = [Number(q[1]), q[2] === undefined ? Number(q[1]) : q[2] === '' ? Number(q[1]) + 4 : Number(q[2])];
      i += q[0].length;
    }
    const n = min + rng.nextInt(Math.min(max, min + 8) - min + 1);
    for (let k = 0; k < n; k++) out += pick(rng, choices);
  }
  return out;
}

const uuid = (rng: Random) =>
  Array.from({ length: 32 }, (_, i) => (i === 12 ? '4' : i === 16 ? '8' : rng.nextInt(16).toString(16)))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function sampleValue(rng: Random, schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema) return null;
  if (Array.isArray(schema.enum)) return pick(rng, schema.enum);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.anyOf)) return sampleValue(rng, pick(rng, schema.anyOf as JsonSchema[]), depth);
  if (Array.isArray(schema.oneOf)) return sampleValue(rng, pick(rng, schema.oneOf as JsonSchema[]), depth);
  const type = Array.isArray(schema.type) ? pick(rng, schema.type as string[]) : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      for (const [name, sub] of Object.entries(props)) {
        if (required.has(name) || (depth < 3 && rng.next() < 0.4)) out[name] = sampleValue(rng, sub, depth + 1);
      }
      const minProps = Number(schema.minProperties ?? 0);
      for (const [name, sub] of Object.entries(props)) {
        if (Object.keys(out).length >= minProps) break;
        if (!(name in out)) out[name] = sampleValue(rng, sub, depth + 1);
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(props).length === 0 && depth < 3) {
        out[sampleFromPattern(rng, '[a-z]{1,8}')] = sampleValue(rng, schema.additionalProperties as JsonSchema, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = Number(schema.minItems ?? 0);
      const max = Math.min(Number(schema.maxItems ?? min + 3), min + 3);
      const n = min + rng.nextInt(max - min + 1);
      return Array.from({ length: n }, () => sampleValue(rng, schema.items as JsonSchema | undefined, depth + 1));
    }
    case 'string': {
      if (schema.format === 'uuid') return uuid(rng);
      if (schema.format === 'date-time') return new Date(Date.UTC(2024, rng.nextInt(12), 1 + rng.nextInt(28))).toISOString();
      if (typeof schema.pattern === 'string') return sampleFromPattern(rng, schema.pattern);
      const min = Number(schema.minLength ?? 0);
      const max = Math.min(Number(schema.maxLength ?? min + 12), min + 12);
      return sampleFromPattern(rng, `[a-z0-9 ]{${Math.max(min, 1)},${Math.max(max, 1)}}`);
    }
    case 'integer':
    case 'number': {
      const lo = Number(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 0));
      const hi = Number(schema.maximum ?? lo + 100);
      const v = lo + rng.nextInt(Math.max(1, Math.min(hi - lo, 1000)) + 1);
      return type === 'integer' ? Math.min(v, hi) : Math.min(v + (v < hi ? 0.5 : 0), hi);
    }
    case 'boolean':
      return rng.next() < 0.5;
    case 'null':
      return null;
    default:
      return {};
  }
}
