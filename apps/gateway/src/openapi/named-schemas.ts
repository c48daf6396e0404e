// Named schemas in the document: every schema with a `title` (the TypeBox schemas in src/schemas set
// one: `ProjectView`, `DeploymentBody`…) becomes `components.schemas.<title>` and each place that
// used it a `$ref`, so generated clients get one named type per shape instead of an inline copy per
// operation. A title used for two different shapes is a bug in our schemas: building the document
// throws, naming the title, and `npm run lint:openapi` fails.
type Schema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

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

  const visit = (node: unknown, inSchema: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, inSchema));
    if (!node || typeof node !== 'object') return node;
    const obj = node as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(obj)) {
      // Below `schema` (and inside components) every object is a schema; elsewhere (paths, responses)
      // keys like `title` mean nothing.
      out[key] = visit(value, inSchema || key === 'schema');
    }
    if (!inSchema || typeof out.title !== 'string') return out;
    const title = out.title;
    const key = shapeKey(out);
    const known = shapes.get(title);
    descriptions.set(title, (descriptions.get(title) ?? new Set()).add(String(out.description ?? '')));
    if (known === undefined) {
      shapes.set(title, key);
      const { description: _d, ...shape } = out;
      components[title] = shape;
    } else if (known !== key) {
      throw new Error(`OpenAPI: two different schemas are titled '${title}'; give one of them another title`);
    }
    return { $ref: `${COMPONENTS}${title}` };
  };

  // Components first (Problem, and anything already hoisted), then every path.
  for (const [name, schema] of Object.entries({ ...components })) {
    const visited = visit(schema, true) as Schema;
    // A component whose own title is its name stays itself (not a $ref to itself).
    components[name] = visited.$ref === `${COMPONENTS}${name}` ? components[name] : visited;
  }
  if (doc.paths) doc.paths = visit(doc.paths, false) as Schema;
  for (const [title, seen] of descriptions) {
    const [only] = seen;
    if (seen.size === 1 && only) components[title] = { ...components[title], description: only };
  }
  return document;
}
