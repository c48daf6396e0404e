// Named schemas in the document: every schema with a `title` (the TypeBox schemas in src/schemas set
// one: `ProjectView`, `DeploymentBody`…) becomes `components.schemas.<title>` and each place that
// used it a `$ref`, so generated clients get one named type per shape instead of an inline copy per
// operation. A title used for two different shapes is a bug in our schemas: building the document
// throws, naming the title, and `npm run lint:openapi` fails.
type Schema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/**
 * Any JSON value, named: what the schemas leave open (`Type.Unknown()`, free-form records such as
 * lineage or hyperparameters) is still JSON on the wire, and a generated client gets a type for it
 * instead of `unknown`. Only the document says so; validation and serialization keep the open schema.
 */
const JSON_VALUE = {
  title: 'JsonValue',
  description: 'Any JSON value.',
  anyOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
    { type: 'array', items: { $ref: `${COMPONENTS}JsonValue` } },
    { type: 'object', additionalProperties: { $ref: `${COMPONENTS}JsonValue` } },
  ],
};
const JSON_VALUE_REF = { $ref: `${COMPONENTS}JsonValue` };

/** Where JSON Schema keeps subschemas: maps of them, lists of them, single ones. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SCHEMA_ONES = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'];

const SHAPE_KEYWORDS = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'enum', 'const', 'properties', 'items'];

/** The schema with its open parts (no type at all, open `additionalProperties`, untyped `items`) named JsonValue. */
function closeOpenParts(schema: Schema): Schema {
  if (!SHAPE_KEYWORDS.some((k) => k in schema)) return { ...JSON_VALUE_REF, ...(schema.description === undefined ? {} : { description: schema.description }) };
  const out = { ...schema };
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('object') && !out.properties && !out.patternProperties && (out.additionalProperties === undefined || out.additionalProperties === true)) out.additionalProperties = JSON_VALUE_REF;
  if (out.additionalProperties === true || (typeof out.additionalProperties === 'object' && !SHAPE_KEYWORDS.some((k) => k in (out.additionalProperties as Schema)))) out.additionalProperties = JSON_VALUE_REF;
  if (types.includes('array') && (out.items === undefined || (typeof out.items === 'object' && !SHAPE_KEYWORDS.some((k) => k in (out.items as Schema))))) out.items = JSON_VALUE_REF;
  return out;
}

/** The shape without the annotations a place may add (a response's own description, examples). */
function shapeKey(schema: Schema): string {
  const { description: _d, examples: _e, example: _x, ...shape } = schema;
  return JSON.stringify(shape);
}

export function hoistNamedSchemas<T extends object>(document: T): T {
  const doc = document as { paths?: Schema; components?: { schemas?: Record<string, Schema> } };
  const components = ((doc.components ??= {}).schemas ??= {});
  const shapes = new Map<string, string>();
  // A place may describe what it holds ("The created project."): the component keeps a description
  // only when every place agrees on it.
  const descriptions = new Map<string, Set<string>>();

  /** A schema: its subschemas first, then its open parts named, then (titled) hoisted. */
  const visitSchema = (node: unknown): unknown => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const out: Schema = { ...(node as Schema) };
    for (const key of SCHEMA_MAPS) {
      if (out[key] && typeof out[key] === 'object') out[key] = Object.fromEntries(Object.entries(out[key] as Schema).map(([k, v]) => [k, visitSchema(v)]));
    }
    for (const key of SCHEMA_LISTS) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(visitSchema);
    for (const key of SCHEMA_ONES) if (out[key] && typeof out[key] === 'object') out[key] = visitSchema(out[key]);
    const closed = closeOpenParts(out);
    if (typeof closed.title !== 'string') return closed;
    const title = closed.title;
    const key = shapeKey(closed);
    const known = shapes.get(title);
    descriptions.set(title, (descriptions.get(title) ?? new Set()).add(String(closed.description ?? '')));
    if (known === undefined) {
      shapes.set(title, key);
      const { description: _d, ...shape } = closed;
      components[title] = shape;
    } else if (known !== key) {
      throw new Error(`OpenAPI: two different schemas are titled '${title}'; give one of them another title`);
    }
    return { $ref: `${COMPONENTS}${title}` };
  };

  /** The rest of the document: every `schema` in it (media types, parameters, headers) is a schema. */
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'schema' ? visitSchema(v) : visit(v)]));
  };

  components.JsonValue = JSON_VALUE;
  // Components first (Problem, and anything already hoisted), then every path.
  for (const [name, schema] of Object.entries({ ...components })) {
    const visited = visitSchema(schema) as Schema;
    // A component whose own title is its name stays itself (not a $ref to itself).
    components[name] = visited.$ref === `${COMPONENTS}${name}` ? components[name] : visited;
  }
  if (doc.paths) doc.paths = visit(doc.paths) as Schema;
  for (const [title, seen] of descriptions) {
    const [only] = seen;
    if (seen.size === 1 && only) components[title] = { ...components[title], description: only };
  }
  return document;
}
