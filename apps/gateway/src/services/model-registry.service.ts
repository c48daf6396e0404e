// The model registry's rules: models, immutable versions (bundles in artifacts, rows in catalog),
// externally trained ONNX models registered in two steps (upload, then version), aliases that move
// atomically with an audit entry and respect the blessing gate, and deletes that leave no orphaned bytes
// and no dangling rows.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, Evaluation, Model, ModelAlias, ModelVersion, Project } from '@atelier/catalog';
import { NOTIFY_CHANNELS, artifactKeys, type DeploymentNotice, type ModelTaskName } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import { ApiError, Errors } from '../errors.js';
import type { OnnxSignatureT } from '../schemas/registry.schemas.js';
import { inspectOnnxModel, OnnxModelError, type OnnxGraph, type OnnxGraphValue } from './onnx-model-check.js';
import { signatureProblems } from './onnx-signature-check.js';
import type { ProjectsService } from './projects.service.js';


export interface ModelRegistryOptions {
  /** Largest ONNX file accepted by an upload (default 2 GiB, protobuf's own limit for one model file); it is loaded whole to be checked. */
  maxUploadBytes?: number;
  /** Uploads not registered within this time are removed by the model's next upload (default 24 h). */
  uploadTtlMs?: number;
}

export const DEFAULT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

const ONNX_CONTENT_TYPE = 'application/onnx';

export interface UploadResult {
  uploadId: string;
  sha256: string;
  size: number;
  /** The graph's inputs and outputs as ONNX Runtime loaded them: what the version's signature must fit. */
  inputs: OnnxGraphValue[];
  outputs: OnnxGraphValue[];
}

/** The body ran past the size limit (thrown inside the stream, turned into a 413 by upload). */
class UploadTooLarge extends Error {}

export interface ModelWithAliases extends Model {
  latestVersion: number | null;
  aliases: Array<{ alias: string; version: number; updatedAt: Date }>;
}

export interface VersionDetails extends ModelVersion {
  modelName: string;
  aliases: string[];
  latestEvaluation?: Pick<Evaluation, 'id' | 'status' | 'verdict' | 'createdAt'> | null;
}

export interface AliasMove extends ModelAlias {
  previousVersion: number | null;
}

export interface BundleDownload {
  stream: Readable;
  size: number;
  sha256: string;
  contentType: string;
  fileName: string;
}

interface GateCheckLike {
  metric?: unknown;
  kind?: unknown;
  passed?: unknown;
  reason?: unknown;
}

export class ModelRegistryService {
  private readonly maxUploadBytes: number;
  private readonly uploadTtlMs: number;

  constructor(
    private readonly catalog: Catalog,
    private readonly artifacts: ArtifactStore,
    private readonly projects: ProjectsService,
    opts: ModelRegistryOptions = {},
  ) {
    this.maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    this.uploadTtlMs = opts.uploadTtlMs ?? DEFAULT_UPLOAD_TTL_MS;
  }

  // ── models ──────────────────────────────────────────────────────────────────────────────────────

  async createModel(
    principal: Principal,
    projectName: string,
    input: { name: string; description?: string; task?: ModelTaskName },
  ): Promise<ModelWithAliases> {
    const project = await this.projects.get(principal, projectName, 'write');
    const model = await this.catalog.transaction(async (tx) => {
      if (await tx.models.findByName(project.id, input.name)) {
        throw Errors.conflict(
          'ATL_MODEL_EXISTS',
          `Model '${input.name}' already exists in project '${project.name}'; register a new version of it instead.`,
        );
      }
      const created = await tx.models.createOrGet({
        projectId: project.id,
        name: input.name,
        description: input.description,
        task: input.task ?? null,
        createdBy: principal.keyId,
      });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'model.create',
        resourceType: 'model',
        resourceId: created.id,
        details: { name: created.name, task: created.task },
      });
      return created;
    });
    return { ...model, latestVersion: null, aliases: [] };
  }

  async listModels(principal: Principal, projectName: string, opts: { limit: number; after?: string }): Promise<Model[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.catalog.models.list(project.id, opts);
  }

  async getModel(principal: Principal, projectName: string, name: string): Promise<ModelWithAliases> {
    const { model } = await this.model(principal, projectName, name, 'read');
    const [latest, aliases] = await Promise.all([this.catalog.models.latestVersion(model.id), this.catalog.models.listAliases(model.id)]);
    return {
      ...model,
      latestVersion: latest?.version ?? null,
      aliases: aliases.map((a) => ({ alias: a.alias, version: a.version, updatedAt: a.updatedAt })),
    };
  }

  /** The project and model, checking the caller's permission on the project (404 naming what is missing). */
  async model(
    principal: Principal,
    projectName: string,
    name: string,
    permission: 'read' | 'write',
  ): Promise<{ project: Project; model: Model }> {
    const project = await this.projects.get(principal, projectName, permission);
    const model = await this.catalog.models.findByName(project.id, name);
    if (!model) {
      throw Errors.notFound(
        'ATL_MODEL_NOT_FOUND',
        `Model '${name}' does not exist in project '${project.name}'. List models with GET /v1/projects/${project.name}/models, or create it with POST.`,
      );
    }
    return { project, model };
  }

  // ── versions ────────────────────────────────────────────────────────────────────────────────────

  async version(
    principal: Principal,
    projectName: string,
    name: string,
    version: number,
    permission: 'read' | 'write',
  ): Promise<{ project: Project; model: Model; version: ModelVersion }> {
    const { project, model } = await this.model(principal, projectName, name, permission);
    const found = await this.catalog.models.findVersion(model.id, version);
    if (!found) {
      throw Errors.notFound(
        'ATL_MODEL_VERSION_NOT_FOUND',
        `Model '${name}' has no version ${version}. List its versions with GET /v1/projects/${project.name}/models/${name}/versions.`,
      );
    }
    return { project, model, version: found };
  }

  async listVersions(
    principal: Principal,
    projectName: string,
    name: string,
    opts: { limit: number; before?: number },
  ): Promise<{ items: VersionDetails[]; next: number | null }> {
    const { model } = await this.model(principal, projectName, name, 'read');
    const [versions, aliases] = await Promise.all([
      this.catalog.models.listVersions(model.id, { limit: opts.limit, beforeVersion: opts.before }),
      this.catalog.models.listAliases(model.id),
    ]);
    const items = versions.map((v) => ({ ...v, modelName: model.name, aliases: aliases.filter((a) => a.versionId === v.id).map((a) => a.alias) }));
    const last = versions.at(-1);
    return { items, next: versions.length === opts.limit && last && last.version > 1 ? last.version : null };
  }

  async getVersion(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<VersionDetails> {
    const { model, version } = await this.version(principal, projectName, name, versionNumber, 'read');
    const [aliases, latest] = await Promise.all([
      this.catalog.models.listAliases(model.id),
      this.catalog.evaluations.latestByVersion(version.id, { status: 'completed' }),
    ]);
    return {
      ...version,
      modelName: model.name,
      aliases: aliases.filter((a) => a.versionId === version.id).map((a) => a.alias),
      latestEvaluation: latest ? { id: latest.id, status: latest.status, verdict: latest.verdict, createdAt: latest.createdAt } : null,
    };
  }

  async downloadBundle(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<BundleDownload> {
    const { model, version } = await this.version(principal, projectName, name, versionNumber, 'read');
    const stat = await this.artifacts.stat(version.bundleKey);
    if (!stat) {
      throw new ApiError(
        500,
        'ATL_BUNDLE_MISSING',
        `The bundle of ${model.name} version ${version.version} is missing from artifact storage; an operator must restore it.`,
      );
    }
    return {
      stream: await this.artifacts.get(version.bundleKey),
      size: stat.size,
      sha256: version.bundleSha256,
      contentType: version.format === 'onnx' ? ONNX_CONTENT_TYPE : (stat.contentType ?? 'application/octet-stream'),
      fileName: `${model.name}-v${version.version}.${version.format === 'onnx' ? 'onnx' : 'atlbndl'}`,
    };
  }

  /**
   * Step 1 of registering an external model: stream an ONNX file into artifacts (staging), refusing it
   * past the size limit (before reading anything when the client declared its length), then check that
   * ONNX Runtime loads it. A refused file leaves nothing behind.
   */
  async upload(
    principal: Principal,
    projectName: string,
    name: string,
    body: AsyncIterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<UploadResult> {
    const { project, model } = await this.model(principal, projectName, name, 'write');
    if (declaredBytes !== undefined && declaredBytes > this.maxUploadBytes) throw this.tooLarge(`The body declares ${declaredBytes} bytes`);
    const uploadId = randomUUID();
    const key = artifactKeys.upload(project.id, model.id, uploadId);
    // A refused upload must not destroy the request (the client would get no answer): iterate without
    // destroy-on-return, and the route drains what is left.
    const source: AsyncIterable<Uint8Array> =
      typeof (body as Readable).iterator === 'function' ? (body as Readable).iterator({ destroyOnReturn: false }) : body;
    const maxBytes = this.maxUploadBytes;
    const limited = async function* () {
      let size = 0;
      for await (const chunk of source) {
        size += chunk.length;
        if (size > maxBytes) throw new UploadTooLarge();
        yield chunk;
      }
    };
    let put;
    try {
      put = await this.artifacts.put(key, limited(), { contentType: ONNX_CONTENT_TYPE });
    } catch (err) {
      if (err instanceof UploadTooLarge) throw this.tooLarge(`The file is larger than ${this.maxUploadBytes} bytes`);
      throw err;
    }
    let graph: OnnxGraph;
    try {
      graph = await this.loadable(key, put.size);
    } catch (err) {
      await this.artifacts.delete(key).catch(() => {});
      throw err;
    }
    await this.pruneStaleUploads(project.id, model.id, uploadId).catch(() => {});
    await this.catalog.audit.record({
      actorKeyId: principal.keyId,
      projectId: project.id,
      action: 'model.upload',
      resourceType: 'model',
      resourceId: model.id,
      details: { uploadId, sha256: put.sha256, size: put.size },
    });
    return { uploadId, sha256: put.sha256, size: put.size, inputs: graph.inputs, outputs: graph.outputs };
  }

  private tooLarge(what: string): ApiError {
    return new ApiError(413, 'ATL_BUNDLE_TOO_LARGE', `${what}; models larger than ${this.maxUploadBytes} bytes are not accepted.`);
  }

  /**
   * The graph of the staged ONNX file at `key`, once ONNX Runtime has loaded it (off the event loop);
   * 422 ATL_INVALID_ONNX with ONNX Runtime's reason when it does not load. The size is checked first,
   * so nothing over the limit is read into memory.
   */
  private async loadable(key: string, size: number): Promise<OnnxGraph> {
    if (size > this.maxUploadBytes) throw this.tooLarge(`The file has ${size} bytes`);
    const bytes = new Uint8Array(size);
    let filled = 0;
    for await (const chunk of await this.artifacts.get(key)) {
      const c = chunk as Uint8Array;
      if (filled + c.length > size) throw new Error(`artifact ${key} grew past its ${size} bytes while being read`);
      bytes.set(c, filled);
      filled += c.length;
    }
    if (filled !== size) throw new Error(`artifact ${key} has ${filled} bytes, ${size} expected`);
    try {
      return await inspectOnnxModel(bytes);
    } catch (err) {
      if (!(err instanceof OnnxModelError)) throw err;
      throw new ApiError(
        422,
        'ATL_INVALID_ONNX',
        `ONNX Runtime cannot load this file: ${err.message}. Upload a self-contained .onnx model (weights inside the file, ` +
          'standard or ONNX Runtime operators) exported from your framework.',
      );
    }
  }

  /** Remove this model's uploads older than the TTL that were never registered (bounded: one model's folder). */
  private async pruneStaleUploads(projectId: string, modelId: string, keepUploadId: string): Promise<void> {
    const prefix = artifactKeys.upload(projectId, modelId, '');
    const cutoff = Date.now() - this.uploadTtlMs;
    for await (const entry of this.artifacts.list(prefix)) {
      if (entry.key.slice(prefix.length) !== keepUploadId && entry.lastModified.getTime() < cutoff) await this.artifacts.delete(entry.key);
    }
  }

  /**
   * Step 2: turn an upload into a version. The bytes move to their content-addressed key first; the
   * version row (with its audit entry) is written only after they are durable.
   */
  async registerVersion(
    principal: Principal,
    projectName: string,
    name: string,
    input: { format: 'onnx'; uploadId: string; signature: OnnxSignatureT; metrics?: Record<string, number>; lineage?: Record<string, unknown> },
  ): Promise<VersionDetails> {
    const { project, model } = await this.model(principal, projectName, name, 'write');
    checkSignature(input.signature);
    const uploadKey = artifactKeys.upload(project.id, model.id, input.uploadId);
    const upload = await this.artifacts.stat(uploadKey);
    if (!upload?.sha256) {
      throw Errors.notFound(
        'ATL_UPLOAD_NOT_FOUND',
        `Upload '${input.uploadId}' does not exist for model '${name}' (or was already registered). ` +
          `Upload the file with POST /v1/projects/${project.name}/models/${name}/uploads first.`,
      );
    }
    // Checked again here: the upload may have been staged before uploads were checked, and the
    // signature must be one serving can feed this graph with.
    let graph: OnnxGraph;
    try {
      graph = await this.loadable(uploadKey, upload.size);
    } catch (err) {
      // A file that can never become a version goes: nothing of it stays stored.
      if (err instanceof ApiError) await this.artifacts.delete(uploadKey).catch(() => {});
      throw err;
    }
    const mismatches = signatureProblems(input.signature, graph);
    if (mismatches.length > 0) throw Errors.validation(mismatches);
    const bundleKey = artifactKeys.bundle(project.id, model.id, upload.sha256, input.format);
    const existed = await this.artifacts.stat(bundleKey);
    if (!existed) await this.artifacts.copy(uploadKey, bundleKey);

    let version: ModelVersion;
    try {
      version = await this.catalog.transaction(async (tx) => {
        const created = await tx.models.createVersion({
          modelId: model.id,
          format: input.format,
          bundleKey,
          bundleSha256: upload.sha256!,
          bundleSize: upload.size,
          signature: input.signature,
          metrics: input.metrics ?? {},
          lineage: { ...(input.lineage ?? {}), source: 'upload', uploadId: input.uploadId },
          createdBy: principal.keyId,
        });
        await tx.audit.record({
          actorKeyId: principal.keyId,
          projectId: project.id,
          action: 'model-version.register',
          resourceType: 'model-version',
          resourceId: created.id,
          details: { model: model.name, version: created.version, format: created.format, sha256: created.bundleSha256, size: created.bundleSize },
        });
        return created;
      });
    } catch (err) {
      // No row points at bytes we just placed: remove them unless another version shares them.
      if (!existed) await this.removeBundleIfUnreferenced(model.id, bundleKey).catch(() => {});
      throw err;
    }
    // A delete of another version with the same bytes may have removed them between our copy and our
    // commit (it holds the model lock while it checks and deletes); put them back from the upload.
    if (!(await this.artifacts.stat(bundleKey))) await this.artifacts.copy(uploadKey, bundleKey);
    await this.artifacts.delete(uploadKey);
    return { ...version, modelName: model.name, aliases: [], latestEvaluation: null };
  }

  /**
   * Delete a version nothing uses (ATL_MODEL_VERSION_IN_USE names the aliases and deployments that do),
   * then its bundle bytes unless another version of the model has the same bytes. The row goes first,
   * in a transaction that holds the model's lock while the bytes are checked and removed, so a version
   * registered concurrently with the same bytes cannot end up pointing at nothing.
   */
  async deleteVersion(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<void> {
    const { project, model, version } = await this.version(principal, projectName, name, versionNumber, 'write');
    await this.catalog.transaction(async (tx) => {
      await tx.models.deleteVersion(version.id);
      const shared = await this.otherVersionsWithKey(tx.models, model.id, version.bundleKey, version.id);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'model-version.delete',
        resourceType: 'model-version',
        resourceId: version.id,
        details: { model: model.name, version: version.version, sha256: version.bundleSha256, bundleKept: shared },
      });
      if (!shared) await this.artifacts.delete(version.bundleKey);
    });
  }

  private async otherVersionsWithKey(
    models: Catalog['models'],
    modelId: string,
    bundleKey: string,
    exceptId: string | null,
  ): Promise<boolean> {
    let before: number | undefined;
    for (;;) {
      const page = await models.listVersions(modelId, { limit: 500, beforeVersion: before });
      if (page.some((v) => v.bundleKey === bundleKey && v.id !== exceptId)) return true;
      if (page.length < 500) return false;
      before = page[page.length - 1].version;
    }
  }

  private async removeBundleIfUnreferenced(modelId: string, bundleKey: string): Promise<void> {
    if (!(await this.otherVersionsWithKey(this.catalog.models, modelId, bundleKey, null))) await this.artifacts.delete(bundleKey);
  }

  // ── aliases ─────────────────────────────────────────────────────────────────────────────────────

  async listAliases(principal: Principal, projectName: string, name: string): Promise<ModelAlias[]> {
    const { model } = await this.model(principal, projectName, name, 'read');
    return this.catalog.models.listAliases(model.id);
  }

  async getAlias(principal: Principal, projectName: string, name: string, alias: string): Promise<ModelAlias> {
    const { model } = await this.model(principal, projectName, name, 'read');
    const found = await this.catalog.models.findAlias(model.id, alias);
    if (!found) {
      throw Errors.notFound('ATL_MODEL_ALIAS_NOT_FOUND', `Model '${model.name}' has no alias '${alias}'. List them with GET …/models/${model.name}/aliases.`);
    }
    return found;
  }

  /**
   * Point an alias at a version (create or move) with an audit entry naming the previous and new
   * version, in one transaction. Refused with ATL_GATE_REJECTED when the version's latest completed
   * evaluation was rejected by its blessing gate, and, with `requireBlessing`, when it has none.
   */
  async setAlias(
    principal: Principal,
    projectName: string,
    name: string,
    alias: string,
    input: { version: number; requireBlessing?: boolean },
  ): Promise<AliasMove> {
    const { project, model, version } = await this.version(principal, projectName, name, input.version, 'write');
    const latest = await this.catalog.evaluations.latestByVersion(version.id, { status: 'completed' });
    if (latest?.verdict === 'rejected') {
      const failed = failedChecks(latest.gate);
      throw new ApiError(
        409,
        'ATL_GATE_REJECTED',
        `Version ${version.version} of '${model.name}' was rejected by the blessing gate of evaluation ${latest.id}` +
          (failed.length > 0 ? `: ${failed.map((f) => f.message).join('; ')}` : '') +
          `. Evaluate a better version, or evaluate this one again with a different gate.`,
        failed.length > 0 ? failed : [{ field: 'gate', message: 'the latest evaluation was rejected' }],
      );
    }
    if (!latest && input.requireBlessing) {
      throw new ApiError(
        409,
        'ATL_GATE_REJECTED',
        `Version ${version.version} of '${model.name}' has no completed evaluation and requireBlessing is set. ` +
          `Evaluate it with POST /v1/projects/${project.name}/models/${model.name}/versions/${version.version}/evaluations first.`,
        [{ field: 'gate', message: 'no completed evaluation' }],
      );
    }
    const moved = await this.catalog.transaction(async (tx) => {
      const previousId = await tx.models.setAlias(model.id, alias, version.id, principal.keyId);
      const previous = previousId ? await tx.models.findVersionById(previousId) : undefined;
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'model-alias.set',
        resourceType: 'model-alias',
        resourceId: `${model.id}:${alias}`,
        details: {
          model: model.name,
          alias,
          previousVersion: previous?.version ?? null,
          previousVersionId: previousId,
          version: version.version,
          versionId: version.id,
          evaluationId: latest?.id ?? null,
          verdict: latest?.verdict ?? null,
        },
      });
      const moved = await tx.models.getAlias(model.id, alias);
      return { ...moved, previousVersion: previous?.version ?? null };
    });
    await this.notifyAliasMoved(model, alias);
    return moved;
  }

  /**
   * After commit: deployments may route through this alias, so serving nodes reconcile at once (the
   * deployments channel). A failed notify is healed by their periodic reconcile.
   */
  private async notifyAliasMoved(model: Model, alias: string): Promise<void> {
    const notice: DeploymentNotice = { modelId: model.id, projectId: model.projectId, alias };
    await this.catalog.notify(NOTIFY_CHANNELS.deployments, JSON.stringify(notice)).catch(() => {});
  }

  async deleteAlias(principal: Principal, projectName: string, name: string, alias: string): Promise<void> {
    const { project, model } = await this.model(principal, projectName, name, 'write');
    await this.catalog.transaction(async (tx) => {
      const existing = await tx.models.findAlias(model.id, alias);
      if (!existing) {
        throw Errors.notFound('ATL_MODEL_ALIAS_NOT_FOUND', `Model '${model.name}' has no alias '${alias}'. List them with GET …/models/${model.name}/aliases.`);
      }
      const versionId = await tx.models.deleteAlias(model.id, alias);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'model-alias.delete',
        resourceType: 'model-alias',
        resourceId: `${model.id}:${alias}`,
        details: { model: model.name, alias, previousVersion: existing.version, previousVersionId: versionId },
      });
    });
    await this.notifyAliasMoved(model, alias);
  }
}

/** The failing checks an evaluation's stored gate ({ thresholds, checks }) recorded, as field errors. */
function failedChecks(gate: unknown): Array<{ field: string; message: string }> {
  const checks = (gate as { checks?: unknown } | null)?.checks;
  if (!Array.isArray(checks)) return [];
  return (checks as GateCheckLike[])
    .filter((c) => c && c.passed === false)
    .map((c) => ({
      field: `gate/${String(c.metric)}${typeof c.kind === 'string' ? `/${c.kind}` : ''}`,
      message: typeof c.reason === 'string' ? c.reason : `${String(c.metric)} failed`,
    }));
}

function checkSignature(signature: OnnxSignatureT): void {
  const errors: Array<{ field: string; message: string }> = [];
  for (const part of ['inputs', 'outputs'] as const) {
    const seen = new Set<string>();
    signature[part].forEach((f, i) => {
      if (seen.has(f.name)) errors.push({ field: `/body/signature/${part}/${i}/name`, message: `repeats the name '${f.name}'` });
      seen.add(f.name);
    });
  }
  if (errors.length > 0) throw Errors.validation(errors);
}
