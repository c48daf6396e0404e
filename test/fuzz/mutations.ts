// Schema-aware mutations of a valid request: each takes the request the world says is valid and
// breaks one thing (a field's type, a required field, numbers and strings at their edges, the JSON
// itself, the content type, a path or query parameter, a file's bytes). Every choice comes from the
// seeded Random, so a case is replayed by its seed.
import type { Random } from '../../packages/engine/src/util/random.js';
import type { WireRequest } from './client.js';
import type { JsonSchema } from './openapi-operations.js';
import { pick, sampleValue } from './schema-sampler.js';
import { EVENTS_CSV, ONNX_BYTES, toWire, type BaseRequest } from './world.js';

export interface FuzzCase {
  mutation: string;
  request: WireRequest;
}

type Path = Array<string | number>;
type Mutation = (base: BaseRequest, rng: Random, auth: string) => FuzzCase | undefined;

const RAW = '@@FUZZ_RAW@@';
const MB = 1_000_000;

function walk(value: unknown, path: Path = [], out: Array<{ path: Path; value: unknown }> = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  delete node[path[path.length - 1]];
  return copy;
}

/** The body's JSON text with one leaf (or, with no body, a new field) replaced by raw text. */
function withRawLeaf(base: BaseRequest, rng: Random, rawText: string, filter: (v: unknown) => boolean = () => true): string {
  const json = base.json ?? {};
  const leaves = walk(json).filter((n) => n.path.length > 0 && (n.value === null || typeof n.value !== 'object') && filter(n.value));
  const target = leaves.length > 0 ? pick(rng, leaves).path : ['fuzz'];
  return JSON.stringify(setAt(json, target, RAW)).replace(JSON.stringify(RAW), rawText);
}

/** Pairs (object path, required property) present in the value, following the schema. */
function requiredFields(schema: JsonSchema | undefined, value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (!schema || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => requiredFields(schema.items as JsonSchema | undefined, v, [...path, i], out));
    return out;
  }
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) if (name in (value as object)) out.push([...path, name]);
  for (const [name, v] of Object.entries(value)) requiredFields(props[name], v, [...path, name], out);
  return out;
}

const jsonSchemaOf = (base: BaseRequest) => base.op.bodies['application/json'];

/** The valid request's wire form with a different body, content type (null: none) or extra headers. */
function wire(base: BaseRequest, auth: string, over: { body?: string | Buffer; contentType?: string | null; headers?: Record<string, string> }): WireRequest {
  const w = toWire(base, auth);
  const headers = { ...w.headers, ...over.headers };
  if (over.contentType === null) delete headers['content-type'];
  else if (over.contentType !== undefined) headers['content-type'] = over.contentType;
  return { ...w, ...('body' in over && { body: over.body }), headers };
}

const jsonCase = (base: BaseRequest, auth: string, mutation: string, body: string | Buffer, contentType = 'application/json'): FuzzCase => ({
  mutation,
  request: wire(base, auth, { body, contentType }),
});

const OTHER_TYPES: unknown[] = ['a string', 12345, -1.5, true, false, null, [], {}, [1, 'two', null], { nested: { deeper: [] } }];

export const NASTY_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-0', '2147483648', '-2147483649', '9223372036854775808', '99999999999999999999', '1e-400', '0.1e1', '1.5', '-1', '0', '4294967296'];

export const NASTY_STRINGS = [
  '"\\ud800"', // a lone high surrogate
  '"x\\udfffy"', // a lone low surrogate
  '"\\u202eevil\\u202c"', // right-to-left override
  '"a\\u0000b"', // NUL
  '"\\ufeffbom"',
  '"e\\u0301\\u0301\\u0301"', // combining marks
  '"😀🚀"',
  '"שלום عالم"',
  '"\\u0000"',
  '""',
  '" "',
  '"../../etc/passwd"',
  '"\'; drop table projects; --"',
  '"%00%ff"',
  '"\\n\\r\\t"',
];

const NASTY_PATH_VALUES = [
  '',
  '..',
  '%2e%2e',
  'A',
  '-1',
  '0',
  '1.5',
  '1e3',
  '99999999999999999999',
  '9223372036854775808',
  '2147483648',
  'NaN',
  'x'.repeat(5000),
  '%00',
  '%ff%fe',
  '%E2%80%AE',
  '%F0%9F%98%80',
  'a%2Fb',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-000000000000',
  "'",
  '%27%20or%201%3D1',
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/json, text/plain',
  'text/csv',
  'application/octet-stream',
  ';;;',
  'application/problem+json',
];

const MALFORMED_JSON = ['{', '{"a":}', "{'a':1}", '{}x', '[', '{"a":1,}', '\ufeff{}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', 'nul', '{"a":"\\x41"}'];

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

function wrongType(base: BaseRequest, rng: Random, auth: string, path: Path, value: unknown): FuzzCase {
  const replacement = pick(rng, OTHER_TYPES.filter((v) => typeof v !== typeof value || Array.isArray(v) !== Array.isArray(value)));
  return jsonCase(base, auth, `wrong-type ${path.join('.')} = ${JSON.stringify(replacement)}`, JSON.stringify(setAt(base.json, path, replacement)));
}

const missingRequired = (base: BaseRequest, auth: string, path: Path): FuzzCase =>
  jsonCase(base, auth, `missing-required ${path.join('.')}`, JSON.stringify(deleteAt(base.json, path)));

/**
 * Per-field mutations of a JSON body: a wrong type for each field and the absence of each required
 * field (`all`), or for one field drawn at random.
 */
function fieldCases(base: BaseRequest, rng: Random, auth: string, all: boolean): FuzzCase[] {
  const fields = walk(base.json ?? {}).filter((n) => n.path.length > 0);
  const required = requiredFields(jsonSchemaOf(base), base.json);
  const some = <T>(items: T[]) => (all ? items : items.length > 0 ? [pick(rng, items)] : []);
  return [...some(fields).map((f) => wrongType(base, rng, auth, f.path, f.value)), ...some(required).map((p) => missingRequired(base, auth, p))];
}

/** Mutations of a JSON body. */
const BODY_MUTATIONS: Record<string, Mutation> = {
  'whole-body-type'(base, rng, auth) {
    return jsonCase(base, auth, 'whole-body-type', pick(rng, ['[]', '"str"', '123', 'true', 'null', '[{}]']));
  },
  'extra-field'(base, rng, auth) {
    const objects = walk(base.json ?? {}).filter((n) => n.value && typeof n.value === 'object' && !Array.isArray(n.value));
    const target = pick(rng, objects);
    const value = setAt(base.json ?? {}, [...target.path, pick(rng, ['fuzz', '__proto__', 'constructor', 'id', ''])], 1);
    return jsonCase(base, auth, `extra-field at /${target.path.join('/')}`, JSON.stringify(value));
  },
  'huge-string'(base, rng, auth) {
    const size = pick(rng, [MB - 2000, MB, 2 * MB]);
    return jsonCase(base, auth, `huge-string ${size}`, withRawLeaf(base, rng, JSON.stringify('x'.repeat(size))));
  },
  'deep-json'(base, rng, auth) {
    const deep = rng.next() < 0.5 ? deepArray(10_000) : deepObject(10_000);
    return jsonCase(base, auth, 'deep-json 10000', rng.next() < 0.5 ? deep : withRawLeaf(base, rng, deep));
  },
  'huge-json'(base, rng, auth) {
    const n = pick(rng, [100_000, 300_000]);
    const arr = `[${Array.from({ length: n }, (_, i) => (i % 3 === 0 ? '{}' : i)).join(',')}]`;
    return jsonCase(base, auth, `huge-json ${n} items`, withRawLeaf(base, rng, arr));
  },
  'number-edge'(base, rng, auth) {
    const raw = pick(rng, NASTY_NUMBERS);
    return jsonCase(base, auth, `number ${raw}`, withRawLeaf(base, rng, raw, (v) => typeof v === 'number' || rng.next() < 0.3));
  },
  unicode(base, rng, auth) {
    const raw = pick(rng, NASTY_STRINGS);
    return jsonCase(base, auth, `unicode ${raw}`, withRawLeaf(base, rng, raw, (v) => typeof v === 'string' || rng.next() < 0.3));
  },
  'invalid-utf8'(base, rng, auth) {
    const text = withRawLeaf(base, rng, '"@@BYTES@@"', (v) => typeof v === 'string');
    const [before, after] = text.split('@@BYTES@@');
    const bytes = pick(rng, [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])]);
    return jsonCase(base, auth, `invalid-utf8 ${bytes.toString('hex')}`, Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]));
  },
  'wrong-content-type'(base, rng, auth) {
    const type = pick(rng, WRONG_CONTENT_TYPES);
    return jsonCase(base, auth, `content-type ${type}`, JSON.stringify(base.json ?? {}), type);
  },
  'empty-body'(base, rng, auth) {
    if (rng.next() < 0.5) return jsonCase(base, auth, 'empty-body with json type', '');
    return { mutation: 'no body, no type', request: wire(base, auth, { body: undefined, contentType: null }) };
  },
  'malformed-json'(base, rng, auth) {
    const text = pick(rng, MALFORMED_JSON);
    return jsonCase(base, auth, `malformed-json ${JSON.stringify(text.slice(0, 40))}`, text);
  },
  'schema-sample'(base, rng, auth) {
    const schema = jsonSchemaOf(base);
    if (!schema) return undefined;
    return jsonCase(base, auth, 'schema-sample (valid by schema)', JSON.stringify(sampleValue(rng, schema)));
  },
  'content-encoding'(base, rng, auth) {
    const encoding = pick(rng, ['gzip', 'deflate', 'br', 'x-unknown']);
    return { mutation: `content-encoding ${encoding} (plain body)`, request: wire(base, auth, { headers: { 'content-encoding': encoding } }) };
  },
};

/** Mutations of the URL and headers, for every operation. */
const URL_MUTATIONS: Record<string, Mutation> = {
  'path-param'(base, rng, auth) {
    const names = Object.keys(base.pathValues).filter((n) => base.op.path.includes(`{${n}}`));
    if (names.length === 0) return undefined;
    const name = pick(rng, names);
    const value = pick(rng, NASTY_PATH_VALUES);
    const w = toWire(base, auth);
    // Already URL-encoded (or deliberately broken) text goes in verbatim.
    const marker = '@@PATH@@';
    const url = toWire({ ...base, pathValues: { ...base.pathValues, [name]: marker } }, auth).url.replace(marker, value);
    return { mutation: `path {${name}} = ${JSON.stringify(value.slice(0, 40))}`, request: { ...w, url } };
  },
  query(base, rng, auth) {
    const declared = base.op.params.filter((p) => p.in === 'query');
    const w = toWire(base, auth);
    const sep = w.url.includes('?') ? '&' : '?';
    let extra: string;
    if (declared.length > 0 && rng.next() < 0.7) {
      const p = pick(rng, declared);
      const value = pick(rng, ['abc', '-1', '0', '1e309', '99999999999999999999', '1.5', '', '%00', 'x'.repeat(10_000), '[]', 'true', 'NaN', '%7B%22a%22%3A1%7D']);
      extra = rng.next() < 0.3 ? `${p.name}=1&${p.name}=${value}` : `${p.name}=${value}`;
    } else {
      extra = pick(rng, ['fuzz=1', '__proto__=1', '%ff=1', '=', '&&&', 'a[b]=1', 'constructor[prototype][x]=1']);
    }
    return { mutation: `query ${extra.slice(0, 60)}`, request: { ...w, url: w.url + sep + extra } };
  },
  header(base, rng, auth) {
    const headers = pick<Record<string, string>>(rng, [
      { accept: 'application/xml' },
      { accept: 'text/event-stream' },
      { 'x-request-id': 'x'.repeat(500) },
      { 'last-event-id': pick(rng, ['-1', 'abc', '99999999999999999999', '1e3']) },
      { 'if-none-match': '*' },
      { 'accept-encoding': 'gzip;q=0, identity;q=0' },
      { range: 'bytes=999999999-' },
    ]);
    return { mutation: `header ${JSON.stringify(headers).slice(0, 60)}`, request: wire(base, auth, { headers }) };
  },
  authorization(base, rng, auth) {
    const value = pick(rng, ['Bearer ' + 'a'.repeat(300), 'Bearer atl_\u00ff\u00fe', `Bearer ${auth.slice(7)}, Bearer ${auth.slice(7)}`, `${auth} `, 'Bearer %00']);
    return { mutation: `authorization ${JSON.stringify(value.slice(0, 30))}`, request: wire(base, auth, { headers: { authorization: value } }) };
  },
};

function lcg(rng: Random, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.nextInt(256);
  return b;
}

/** Files for the dataset upload route: broken CSV, JSON Lines and Parquet, and the query that goes with them. */
function datasetFiles(rng: Random): Array<{ name: string; contentType: string; body: Buffer | string; query?: Record<string, string> }> {
  const header = EVENTS_CSV.split('\n')[0];
  return [
    { name: 'csv ragged rows', contentType: 'text/csv', body: `${header}\n1,2024-01-01T00:00:00Z,1\n1,2,3,4,5,6,7,8,9,10\n` },
    { name: 'csv random bytes', contentType: 'text/csv', body: lcg(rng, 4096) },
    { name: 'csv header only', contentType: 'text/csv', body: `${header}\n` },
    { name: 'csv empty', contentType: 'text/csv', body: '' },
    { name: 'csv NUL bytes', contentType: 'text/csv', body: `a,b\n1,\u0000\n\u0000,2\n` },
    { name: 'csv unterminated quote', contentType: 'text/csv', body: 'a,b\n"1,2\n3,4\n' },
    { name: 'csv 1 MB field', contentType: 'text/csv', body: `a,b\n${'x'.repeat(MB)},1\n` },
    { name: 'csv 5000 columns', contentType: 'text/csv', body: `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n${Array(5000).fill('1').join(',')}\n` },
    { name: 'csv duplicate columns', contentType: 'text/csv', body: 'a,a,b\n1,2,3\n' },
    { name: 'csv empty column name', contentType: 'text/csv', body: ',b\n1,2\n' },
    { name: 'csv invalid utf-8', contentType: 'text/csv', body: Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('\n')]) },
    { name: 'csv numbers at the edges', contentType: 'text/csv', body: `a,b\n${NASTY_NUMBERS.map((n, i) => `${n},${i}`).join('\n')}\n` },
    { name: 'csv with schema garbage', contentType: 'text/csv', body: EVENTS_CSV, query: { schema: pick(rng, ['{', '[]', 'null', '{"columns":[]}', deepArray(10_000), '{"columns":[{"name":"x1","type":"integer","min":1e309}]}']) } },
    { name: 'csv with schema types', contentType: 'text/csv', body: EVENTS_CSV, query: { schema: `{"columns":[{"name":"user_id","type":"${pick(rng, ['integer', 'date', 'boolean', 'timestamp'])}","min":99999999999999999999}]}` } },
    { name: 'jsonl broken line', contentType: 'application/x-ndjson', body: '{"a":1}\n{"a":\n{"a":3}\n' },
    { name: 'jsonl non-objects', contentType: 'application/jsonl', body: '[1,2]\n"str"\n1\nnull\n' },
    { name: 'jsonl deep line', contentType: 'application/x-ndjson', body: `{"a":${deepArray(10_000)}}\n` },
    { name: 'jsonl NaN and huge numbers', contentType: 'application/x-ndjson', body: '{"a":NaN}\n{"a":1e309}\n{"a":99999999999999999999}\n' },
    { name: 'jsonl mixed keys and types', contentType: 'application/x-ndjson', body: '{"a":1}\n{"b":"x"}\n{"a":"one","b":[1]}\n{"a":{"x":1}}\n' },
    { name: 'jsonl lone surrogate', contentType: 'application/x-ndjson', body: '{"a":"\\ud800"}\n{"a":"\\u0000"}\n' },
    { name: 'jsonl blank lines only', contentType: 'application/x-ndjson', body: '\n\n\n' },
    { name: 'parquet magic around garbage', contentType: 'application/vnd.apache.parquet', body: Buffer.concat([Buffer.from('PAR1'), lcg(rng, 512), Buffer.from('PAR1')]) },
    { name: 'parquet magic only', contentType: 'application/vnd.apache.parquet', body: 'PAR1' },
    { name: 'parquet truncated footer', contentType: 'application/vnd.apache.parquet', body: Buffer.concat([Buffer.from('PAR1'), lcg(rng, 64), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from('PAR1')]) },
    { name: 'parquet random bytes via octet-stream', contentType: 'application/octet-stream', body: lcg(rng, 2048), query: { format: 'parquet' } },
    { name: 'octet-stream without format', contentType: 'application/octet-stream', body: EVENTS_CSV },
    { name: 'format contradicts type', contentType: 'text/csv', body: EVENTS_CSV, query: { format: 'jsonl' } },
    { name: 'csv as jsonl', contentType: 'application/x-ndjson', body: EVENTS_CSV },
  ];
}

function modelFiles(rng: Random): Array<{ name: string; contentType: string; body: Buffer | string; query?: Record<string, string> }> {
  return [
    { name: 'onnx random bytes', contentType: 'application/octet-stream', body: lcg(rng, 4096) },
    { name: 'onnx empty', contentType: 'application/octet-stream', body: '' },
    { name: 'onnx truncated', contentType: 'application/octet-stream', body: ONNX_BYTES.subarray(0, 1 + rng.nextInt(ONNX_BYTES.length - 1)) },
    { name: 'onnx bit flips', contentType: 'application/octet-stream', body: flipBits(rng, ONNX_BYTES) },
    { name: 'onnx as json', contentType: 'application/json', body: '{"model":"x"}' },
    { name: 'onnx as text', contentType: 'text/plain', body: 'not a model' },
  ];
}

function flipBits(rng: Random, bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 0; i < 8; i++) copy[rng.nextInt(copy.length)] ^= 1 << rng.nextInt(8);
  return copy;
}

/**
 * The cases for one operation: the valid request, then each mutation that applies (and, for upload
 * routes, each broken file), each kept with probability `share`; with share 1 every one of them, and
 * the per-field mutations for every field (else for one field drawn at random).
 */
export function casesFor(base: BaseRequest, rng: Random, auth: string, share = 1): FuzzCase[] {
  const cases: FuzzCase[] = [{ mutation: 'valid', request: toWire(base, auth) }];
  const keep = () => share >= 1 || rng.next() < share;
  const hasJsonBody = base.json !== undefined || Object.keys(base.op.bodies).length > 0;
  const mutations = { ...(hasJsonBody && base.raw === undefined ? BODY_MUTATIONS : {}), ...URL_MUTATIONS };
  for (const mutate of Object.values(mutations)) {
    if (!keep()) continue;
    const c = mutate(base, rng, auth);
    if (c) cases.push(c);
  }
  if (hasJsonBody && base.raw === undefined) cases.push(...fieldCases(base, rng, auth, share >= 1));
  if (base.raw !== undefined) {
    const files = base.op.path.endsWith('/uploads') ? modelFiles(rng) : datasetFiles(rng);
    for (const f of files) {
      if (!keep()) continue;
      const req = { ...base, raw: f.body, contentType: f.contentType, query: { ...base.query, ...f.query } };
      cases.push({ mutation: f.name, request: toWire(req, auth) });
    }
    // JSON body mutations apply to the dataset route's JSON form (register an artifact) too.
    for (const name of ['wrong-content-type', 'malformed-json', 'deep-json', 'empty-body'] as const) {
      if (!keep()) continue;
      const c = BODY_MUTATIONS[name]({ ...base, raw: undefined, json: { artifactKey: 'x', format: 'csv' } }, rng, auth);
      if (c) cases.push(c);
    }
  }
  return cases;
}
