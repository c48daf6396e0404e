// The operations of a live gateway, read from its /openapi.json: the one list both the auth matrix
// and the fuzz suite walk, so a new route cannot escape them.
import type { Send } from './client.js';

export type JsonSchema = Record<string, unknown>;

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/v1/projects/{project}/models/{name}`. */
  path: string;
  /** `METHOD path`: the key of the permission table and of the fixtures. */
  key: string;
  params: ParamSpec[];
  /** Media type → schema, as the document declares the body. */
  bodies: Record<string, JsonSchema | undefined>;
  /** Declares bearerAuth (every /v1 operation must). */
  secured: boolean;
}

/** Routes the gateway serves without listing them in its document (the document itself and its UI). */
export const HIDDEN_PUBLIC_OPERATIONS = ['GET /openapi.json', 'GET /docs'];

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The schema with every `#/components/schemas/…` reference replaced by what it names (mutations walk plain schemas). */
function inlineRefs(node: unknown, components: Record<string, unknown>, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, components, seen));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const name = ref.slice('#/components/schemas/'.length);
    if (seen.includes(name)) return {};
    return inlineRefs(components[name], components, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineRefs(v, components, seen)]));
}

export async function loadOperations(send: Send): Promise<{ operations: Operation[]; document: Record<string, unknown> }> {
  const res = await send({ method: 'GET', url: '/openapi.json' });
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const raw = JSON.parse(res.body) as { paths: Record<string, Record<string, Record<string, unknown>>>; components?: { schemas?: Record<string, unknown> } };
  const document = { ...raw, paths: inlineRefs(raw.paths, raw.components?.schemas ?? {}) as typeof raw.paths };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = ((op.parameters ?? []) as Array<Record<string, unknown>>).map((p) => ({
        name: String(p.name),
        in: p.in as ParamSpec['in'],
        required: p.required === true || p.in === 'path',
        schema: (p.schema ?? {}) as JsonSchema,
      }));
      const content = ((op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content ?? {}) as Record<string, { schema?: JsonSchema }>;
      const bodies = Object.fromEntries(Object.entries(content).map(([type, c]) => [type, c.schema]));
      const security = (op.security ?? []) as Array<Record<string, unknown>>;
      operations.push({
        method: method.toUpperCase(),
        path,
        key: operationKey(method, path),
        params,
        bodies,
        secured: security.some((s) => 'bearerAuth' in s),
      });
    }
  }
  return { operations, document };
}

/** Fill a path template: `{name}` → the encoded value. */
export function fillPath(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for path parameter {${name}} of ${template}`);
    return encodeURIComponent(String(values[name]));
  });
}
