// The Open Inference Protocol v2 mapped onto Atelier: a v2 model is an Atelier model with a deployment
// in the project of the base URL; its versions are the deployed ones; its tensors come from the
// version's signature (batch dimension first, -1). `infer` turns named input tensors into instances
// and hands them to the same PredictionBackend as /predict (the serving node validates the values and
// batches); the answer's values become output tensors again.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, ModelVersion, Project } from '@atelier/catalog';
import { parseManifest, unpackBundle } from '@atelier/engine';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import type { BackendPredictResponse, PredictionBackend } from '../routes/predictions.routes.js';
import { PredictBody } from '../schemas/predictions.schemas.js';
import type { InferRequestT, MetadataTensorT, ModelMetadataT, ResponseOutputT, TensorDatatype } from '../schemas/inference-v2.schemas.js';
import { decodeBinary, elementCount, encodeBinary, flattenJsonData, isNumeric, type DecodedTensor, type Element } from './oip-tensors.js';
import type { ProjectCache } from './project-cache.js';

/** What the serving pool reports it serves: per deployment, its project id, model name and loaded versions. */
export interface ServingView {
  ready: boolean;
  deployments: Array<{ project: string; model: string; versions: number[] }>;
}

interface SignatureField {
  name: string;
  dtype: string;
  shape: number[];
}

interface Signature {
  inputs: SignatureField[];
  outputs: SignatureField[];
}

interface ServedModel {
  project: Project;
  modelId: string;
  /** Versions the deployments route to (weighted), then shadows: what /versions/{v} may name. */
  versions: number[];
  /** Versions with traffic; the first is the one with the most weight (its signature describes the model). */
  routed: number[];
}

const DTYPE_TO_DATATYPE: Record<string, TensorDatatype> = { float32: 'FP32', float64: 'FP64', int32: 'INT32', int64: 'INT64', string: 'BYTES', bool: 'BOOL' };
const MAX_BATCH = (PredictBody.properties.instances as unknown as { maxItems: number }).maxItems;

function parseSignature(raw: unknown): Signature {
  const s = (raw ?? {}) as { inputs?: unknown; outputs?: unknown };
  const fields = (xs: unknown): SignatureField[] =>
    Array.isArray(xs)
      ? xs
          .filter((f): f is { name: string; dtype?: string; shape?: number[] } => typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string')
          .map((f) => ({ name: f.name, dtype: f.dtype ?? 'float32', shape: Array.isArray(f.shape) ? f.shape : [] }))
      : [];
  return { inputs: fields(s.inputs), outputs: fields(s.outputs) };
}

const tensorOf = (f: SignatureField): MetadataTensorT => ({ name: f.name, datatype: DTYPE_TO_DATATYPE[f.dtype] ?? 'FP32', shape: [-1, ...f.shape] });
const outputDatatype = (f: SignatureField | undefined) => (f && ['float64', 'int32', 'int64'].includes(f.dtype) ? DTYPE_TO_DATATYPE[f.dtype] : 'FP32');

/** A signature input's datatype family: which tensor datatypes may feed it. */
function fits(dtype: string, datatype: TensorDatatype): boolean {
  if (dtype === 'string') return datatype === 'BYTES';
  if (dtype === 'bool') return datatype === 'BOOL';
  return isNumeric(datatype);
}

export interface InferResult {
  header: { model_name: string; model_version: string; id?: string; outputs: ResponseOutputT[] };
  /** Binary tensor data, in output order; empty when every output is JSON. */
  binary: Buffer[];
}

export class InferenceV2Service {
  private readonly served = new Map<string, { model: ServedModel; until: number }>();
  /** Versions are immutable: a signature read once holds until the process ends (bounded). */
  private readonly signatures = new Map<string, Signature>();

  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectCache,
    private readonly backend: PredictionBackend,
    /** Where engine bundles' manifests are read from (their output names are not in the catalog's signature). */
    private readonly artifacts?: ArtifactStore,
    private readonly ttlMs = 2000,
  ) {}

  /** The project of the base URL, if the key may read it (every v2 route checks this first). */
  project(principal: Principal, projectName: string): Promise<Project> {
    return this.projects.get(principal, projectName);
  }

  /** Server ready: the serving pool says every deployment it should serve is loaded (or the catalog answers, without a view of it). */
  async serverReady(principal: Principal | null, projectName?: string): Promise<boolean> {
    if (principal && projectName) await this.project(principal, projectName);
    if (this.backend.servingStatus) return (await this.servingView())?.ready ?? false;
    return (await this.catalog.health()).ok;
  }

  async metadata(principal: Principal, projectName: string, name: string, version?: number): Promise<ModelMetadataT> {
    const m = await this.model(principal, projectName, name, version);
    const sig = await this.signature(m.modelId, version ?? m.routed[0]);
    const format = await this.format(m.modelId, version ?? m.routed[0]);
    return {
      name,
      versions: m.versions.map(String),
      platform: format === 'onnx' ? 'onnx_onnxv1' : 'atelier_bundle',
      inputs: sig.inputs.map(tensorOf),
      outputs: sig.outputs.map(tensorOf),
    };
  }

  /** Ready: the serving pool has loaded the version (or every routed version of the deployment). */
  async ready(principal: Principal, projectName: string, name: string, version?: number): Promise<boolean> {
    const m = await this.model(principal, projectName, name, version);
    if (!this.backend.servingStatus) return true; // no view of the pool (a custom backend): deployed is all we know
    const view = await this.servingView();
    const loaded = new Set((view?.deployments ?? []).filter((d) => d.project === m.project.id && d.model === name).flatMap((d) => d.versions));
    return (version !== undefined ? [version] : m.routed).every((v) => loaded.has(v));
  }

  /** `requestId`: the gateway's x-request-id, what labels for model monitoring name when the body has no `id`. */
  async infer(principal: Principal, projectName: string, name: string, version: number | undefined, body: InferRequestT, binary: Buffer | undefined, requestId?: string): Promise<InferResult> {
    const m = await this.model(principal, projectName, name, version);
    const sig = await this.signature(m.modelId, version ?? m.routed[0]);
    const tensors = decodeInputs(body, binary);
    const instances = toInstances(tensors, sig.inputs);
    const requested = body.outputs ?? [];
    if (sig.outputs.length > 0) {
      const known = new Set(sig.outputs.map((o) => o.name));
      const unknown = requested.map((o, i) => ({ o, i })).filter(({ o }) => !known.has(o.name));
      if (unknown.length) throw Errors.validation(unknown.map(({ o, i }) => ({ field: `/body/outputs/${i}/name`, message: `'${o.name}' is not an output of '${name}' (its outputs: ${[...known].join(', ')})` })));
    }
    const res = await this.backend.predict({
      projectId: m.project.id,
      projectName: m.project.name,
      model: name,
      instances,
      ...(version !== undefined && { target: { version } }),
      ...((body.id ?? requestId) !== undefined && { requestId: body.id ?? requestId }),
    });
    const answering = res.version === (version ?? m.routed[0]) ? sig : await this.signature(m.modelId, res.version);
    const binaryDefault = body.parameters?.binary_data_output === true;
    const outputs = toOutputTensors(res, answering.outputs);
    const chosen = requested.length ? requested.map((r) => ({ r, t: outputs.find((t) => t.name === r.name) })) : outputs.map((t) => ({ r: undefined, t }));
    const missing = chosen.map((c, i) => ({ c, i })).filter(({ c }) => !c.t);
    if (missing.length) {
      throw Errors.validation(missing.map(({ c, i }) => ({ field: `/body/outputs/${i}/name`, message: `'${c.r!.name}' is not an output of '${name}' (its outputs: ${outputs.map((t) => t.name).join(', ')})` })));
    }
    const header: InferResult['header'] = { model_name: name, model_version: String(res.version), outputs: [] };
    if (body.id !== undefined) header.id = body.id;
    const chunks: Buffer[] = [];
    for (const { r, t } of chosen) {
      const tensor = t!;
      const asBinary = r?.parameters?.binary_data ?? binaryDefault;
      if (asBinary) {
        const bytes = encodeBinary(tensor.values, tensor.datatype);
        chunks.push(bytes);
        header.outputs.push({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, parameters: { binary_data_size: bytes.length } });
      } else {
        header.outputs.push({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, data: tensor.values });
      }
    }
    return { header, binary: chunks };
  }

  private async servingView(): Promise<ServingView | undefined> {
    return this.backend.servingStatus!().catch(() => undefined);
  }

  /** The model as v2 sees it: it must exist and be deployed in the project; `version` must be one it serves. */
  private async model(principal: Principal, projectName: string, name: string, version?: number): Promise<ServedModel> {
    const project = await this.projects.get(principal, projectName);
    const key = `${project.id}/${name}`;
    const hit = this.served.get(key);
    let m = hit && hit.until > Date.now() ? hit.model : undefined;
    if (!m) {
      m = await this.lookup(project, name);
      if (this.served.size > 10_000) this.served.clear();
      this.served.set(key, { model: m, until: Date.now() + this.ttlMs });
    }
    if (version !== undefined && !m.versions.includes(version)) {
      throw Errors.notFound('ATL_MODEL_NOT_DEPLOYED', `Version ${version} of model '${name}' is not deployed (deployed: ${m.versions.join(', ')}); route a deployment to it or call another version.`);
    }
    return m;
  }

  private async lookup(project: Project, name: string): Promise<ServedModel> {
    const model = await this.catalog.models.findByName(project.id, name);
    if (!model) throw Errors.notFound('ATL_MODEL_NOT_FOUND', `Model '${name}' does not exist in project '${project.name}'; GET /v1/projects/${project.name}/models lists them.`);
    const deployments = (await this.catalog.deployments.listCurrent({ projectId: project.id })).filter((d) => d.deployment.modelId === model.id);
    // Routes and shadows name a version or an alias (resolved now, as the serving node does).
    const aliases = new Map<string, number | undefined>();
    const resolve = async (t: { version?: number; alias?: string }): Promise<number | undefined> => {
      if (t.version !== undefined || t.alias === undefined) return t.version;
      if (!aliases.has(t.alias)) aliases.set(t.alias, (await this.catalog.models.findAlias(model.id, t.alias))?.version);
      return aliases.get(t.alias);
    };
    const routes: Array<{ version: number; weight: number }> = [];
    const shadows: number[] = [];
    for (const d of deployments) {
      for (const r of d.spec.routes) {
        const version = r.weight > 0 ? await resolve(r) : undefined;
        if (version !== undefined) routes.push({ version, weight: r.weight });
      }
      for (const sh of d.spec.shadows ?? []) {
        const version = await resolve(sh);
        if (version !== undefined) shadows.push(version);
      }
    }
    if (routes.length === 0) {
      throw Errors.notFound('ATL_MODEL_NOT_DEPLOYED', `Model '${name}' has no deployment with traffic in project '${project.name}'; create or update a deployment that routes to it.`);
    }
    const routed = [...new Set(routes.sort((a, b) => b.weight - a.weight || b.version - a.version).map((r) => r.version))];
    return { project, modelId: model.id, routed, versions: [...new Set([...routed, ...shadows])].sort((a, b) => a - b) };
  }

  private async versionRow(modelId: string, version: number): Promise<ModelVersion> {
    const v = await this.catalog.models.findVersion(modelId, version);
    if (!v) throw Errors.notFound('ATL_MODEL_VERSION_NOT_FOUND', `Version ${version} no longer exists; deploy another version.`);
    return v;
  }

  private async format(modelId: string, version: number): Promise<string> {
    return (await this.versionRow(modelId, version)).format;
  }

  private async signature(modelId: string, version: number): Promise<Signature> {
    const key = `${modelId}/${version}`;
    const hit = this.signatures.get(key);
    if (hit) return hit;
    const row = await this.versionRow(modelId, version);
    const sig = parseSignature(row.signature);
    // An engine version's catalog signature names its inputs only; the values each row gets back are
    // named in the bundle's manifest (one float32 per name), which is what the serving node answers with.
    if (sig.outputs.length === 0 && row.format === 'atelier' && this.artifacts) {
      try {
        sig.outputs = (await bundleOutputNames(this.artifacts, row.bundleKey)).map((name) => ({ name, dtype: 'float32', shape: [1] }));
      } catch {
        // A bundle that cannot be read does not load on a serving node either (its deployment reports
        // failed, with the reason); metadata then lists no outputs, and the next call reads again.
        return sig;
      }
    }
    if (this.signatures.size > 10_000) this.signatures.clear();
    this.signatures.set(key, sig);
    return sig;
  }
}

/** An engine bundle's output names, from its manifest: the bundle's first bytes only (magic, length, manifest). */
async function bundleOutputNames(artifacts: ArtifactStore, key: string): Promise<string[]> {
  const read = async (start: number, end: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of await artifacts.get(key, { start, end })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const head = await read(0, BUNDLE_HEAD_BYTES - 1);
  if (head.length < BUNDLE_HEAD_BYTES) return [];
  const manifestLength = head.readUInt32LE(BUNDLE_HEAD_BYTES - 4);
  const manifest = unpackBundle(Buffer.concat([head, await read(BUNDLE_HEAD_BYTES, BUNDLE_HEAD_BYTES + manifestLength - 1)])).manifest;
  return parseManifest(manifest).output.names;
}
/** An engine bundle starts with 8 magic bytes and the manifest's length (uint32 LE). */
const BUNDLE_HEAD_BYTES = 12;

/** The request's input tensors with their elements, from JSON `data` or the binary section. */
function decodeInputs(body: InferRequestT, binary: Buffer | undefined): DecodedTensor[] {
  const errors: FieldError[] = [];
  const out: DecodedTensor[] = [];
  const seen = new Set<string>();
  let offset = 0;
  body.inputs.forEach((input, i) => {
    const at = `/body/inputs/${i}`;
    if (seen.has(input.name)) errors.push({ field: `${at}/name`, message: `'${input.name}' is given twice` });
    seen.add(input.name);
    const count = elementCount(input.shape);
    if (typeof count === 'string') return errors.push({ field: `${at}/shape`, message: count });
    if (input.shape.length === 0) return errors.push({ field: `${at}/shape`, message: 'must start with the batch dimension (e.g. [1, 4] for one row of 4)' });
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      if (input.data !== undefined) return errors.push({ field: `${at}/data`, message: 'must be absent when parameters.binary_data_size says the tensor is binary' });
      if (!binary || offset + size > binary.length) {
        return errors.push({ field: `${at}/parameters/binary_data_size`, message: `asks for ${size} bytes at offset ${offset}; the binary data after the JSON header holds ${binary?.length ?? 0}` });
      }
      const values = decodeBinary(binary.subarray(offset, offset + size), input.datatype, count, `${at} (binary data)`, errors);
      offset += size;
      return out.push({ name: input.name, datatype: input.datatype, shape: input.shape, values });
    }
    if (input.data === undefined) return errors.push({ field: `${at}/data`, message: 'is required (or send the tensor as binary data with parameters.binary_data_size)' });
    out.push({ name: input.name, datatype: input.datatype, shape: input.shape, values: flattenJsonData(input.data, input.datatype, count, `${at}/data`, errors) });
  });
  if (errors.length === 0 && binary && offset !== binary.length) {
    errors.push({ field: '/headers/inference-header-content-length', message: `leaves ${binary.length - offset} bytes after the JSON header that no input's binary_data_size accounts for` });
  }
  if (errors.length) throw Errors.validation(errors);
  return out;
}

/** Input tensors → one instance per row of the batch dimension, by the signature's input names. */
function toInstances(tensors: DecodedTensor[], fields: SignatureField[]): Array<Record<string, unknown>> {
  const errors: FieldError[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const batch = tensors[0].shape[0];
  tensors.forEach((t, i) => {
    const f = byName.get(t.name);
    if (!f) errors.push({ field: `/body/inputs/${i}/name`, message: `'${t.name}' is not an input of this model (its inputs: ${fields.map((x) => x.name).join(', ')})` });
    else if (!fits(f.dtype, t.datatype)) errors.push({ field: `/body/inputs/${i}/datatype`, message: `${t.datatype} does not fit input '${f.name}' (${DTYPE_TO_DATATYPE[f.dtype] ?? f.dtype})` });
    else {
      const rowWidth = t.shape.slice(1).reduce((a, b) => a * b, 1);
      const width = f.shape.reduce((a, b) => a * b, 1);
      if (f.shape.length === 0 ? rowWidth !== 1 : width > 0 && rowWidth !== width) {
        errors.push({ field: `/body/inputs/${i}/shape`, message: `[${t.shape.join(', ')}] does not fit input '${f.name}' of shape [${tensorOf(f).shape.join(', ')}]` });
      }
    }
    if (t.shape[0] !== batch) errors.push({ field: `/body/inputs/${i}/shape`, message: `has batch size ${t.shape[0]}; inputs/0 has ${batch} (every input carries the same rows)` });
  });
  const given = new Set(tensors.map((t) => t.name));
  for (const f of fields) if (!given.has(f.name)) errors.push({ field: '/body/inputs', message: `lacks input '${f.name}' (${DTYPE_TO_DATATYPE[f.dtype] ?? f.dtype} [${tensorOf(f).shape.join(', ')}])` });
  if (batch < 1) errors.push({ field: '/body/inputs/0/shape', message: 'has batch size 0; send at least one row' });
  if (batch > MAX_BATCH) errors.push({ field: '/body/inputs/0/shape', message: `has batch size ${batch}; at most ${MAX_BATCH} rows per request` });
  if (errors.length) throw Errors.validation(errors);
  const instances: Array<Record<string, unknown>> = Array.from({ length: batch }, () => ({}));
  for (const t of tensors) {
    const scalar = byName.get(t.name)!.shape.length === 0;
    const w = t.values.length / batch;
    for (let r = 0; r < batch; r++) instances[r][t.name] = scalar ? t.values[r] : (t.values.slice(r * w, (r + 1) * w) as Element[]);
  }
  return instances;
}

/** The answer's per-row values (`p`, or `p[0]`, `p[1]`… for a wide output) → one tensor per output, batch first. */
function toOutputTensors(res: BackendPredictResponse, fields: SignatureField[]): Array<{ name: string; datatype: string; shape: number[]; values: number[] }> {
  const groups: Array<{ name: string; columns: number[] }> = [];
  res.outputs.forEach((col, j) => {
    const base = /^(.*)\[\d+\]$/.exec(col)?.[1] ?? col;
    const g = groups.find((x) => x.name === base);
    if (g) g.columns.push(j);
    else groups.push({ name: base, columns: [j] });
  });
  const n = res.predictions.length;
  const row = (p: unknown, j: number): number => (typeof p === 'number' ? p : Number((p as Record<string, number>)[res.outputs[j]]));
  return groups.map((g) => {
    const values = new Array<number>(n * g.columns.length);
    for (let i = 0; i < n; i++) for (let k = 0; k < g.columns.length; k++) values[i * g.columns.length + k] = row(res.predictions[i], g.columns[k]);
    const f = fields.find((x) => x.name === g.name);
    const sigWidth = f ? f.shape.reduce((a, b) => a * Math.max(1, b), 1) : -1;
    const shape = f && sigWidth === g.columns.length && !f.shape.includes(-1) ? [n, ...f.shape] : [n, g.columns.length];
    return { name: g.name, datatype: outputDatatype(f), shape, values };
  });
}
