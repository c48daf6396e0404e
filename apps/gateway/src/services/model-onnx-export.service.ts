// ONNX export of an engine-trained version, generated on demand from its stored bundle. Not cached as
// an artifact: a bundle never changes, the export is a pure function of it (milliseconds for the
// models the platform trains) and a second stored object per version would be one more thing the
// version delete and the artifact collector must track. The ETag ties the answer to the bundle's hash
// and the exporter's version, so clients revalidate instead of downloading again. The export runs on a
// worker thread (onnx-export.worker.ts, started through onnx-export.thread.mjs, which registers tsx, or
// directly when compiled): it is synchronous and a model at the parameter cap takes seconds, which must
// not stall every other request.
import { Worker } from 'node:worker_threads';
import { ENGINE_VERSION, type OnnxExportProblem } from '@atelier/engine';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Principal } from '../auth/principal.js';
import { ApiError, type FieldError } from '../errors.js';
import type { ModelRegistryService } from './model-registry.service.js';

const THREAD_URL = import.meta.url.endsWith('.js') ? new URL('./onnx-export.worker.js', import.meta.url) : new URL('./onnx-export.thread.mjs', import.meta.url);

type ThreadAnswer = { bytes: Uint8Array } | { problems: OnnxExportProblem[] } | { corrupt: string } | { error: string };

/** Runs the export on a fresh thread; the bundle is copied to it (a transfer would detach it here). */
async function exportOnThread(bundle: Uint8Array): Promise<ThreadAnswer> {
  const worker = new Worker(THREAD_URL, { workerData: { bundle } });
  try {
    return await new Promise<ThreadAnswer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ONNX export thread exited (code ${code}) without an answer`)));
    });
  } finally {
    await worker.terminate();
  }
}

export interface OnnxDownload {
  bytes: Uint8Array;
  etag: string;
  fileName: string;
}

export class ModelOnnxExportService {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly artifacts: ArtifactStore,
  ) {}

  /** The ETag of a version's export without computing it (for If-None-Match). */
  async etag(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<string> {
    const { version } = await this.registry.version(principal, projectName, name, versionNumber, 'read');
    return `"onnx-${version.bundleSha256}-${ENGINE_VERSION}"`;
  }

  async export(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<OnnxDownload> {
    const { project, model, version } = await this.registry.version(principal, projectName, name, versionNumber, 'read');
    const bundleUrl = `/v1/projects/${project.name}/models/${model.name}/versions/${version.version}/bundle`;
    if (version.format === 'onnx') {
      throw new ApiError(409, 'ATL_ONNX_EXPORT_NOT_APPLICABLE', `${model.name} version ${version.version} was uploaded as an ONNX file; download it as it is from GET ${bundleUrl}.`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.artifacts.getBytes(version.bundleKey);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ATL_ARTIFACT_NOT_FOUND') throw err;
      throw new ApiError(500, 'ATL_BUNDLE_MISSING', `The bundle of ${model.name} version ${version.version} is missing from artifact storage; an operator must restore it.`);
    }
    const answer = await exportOnThread(bytes);
    if ('bytes' in answer) return { bytes: answer.bytes, etag: `"onnx-${version.bundleSha256}-${ENGINE_VERSION}"`, fileName: `${model.name}-v${version.version}.onnx` };
    if ('problems' in answer) {
      const errors: FieldError[] = answer.problems.map((p) => ({ field: p.feature ? `/bundle/preprocessing/${p.feature}` : '/bundle/model', message: p.message }));
      throw new ApiError(
        422,
        'ATL_ONNX_EXPORT_UNSUPPORTED',
        `${model.name} version ${version.version} cannot be exported to ONNX exactly: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}. Serve it from its bundle (${bundleUrl}).`,
        errors,
      );
    }
    if ('corrupt' in answer) throw new ApiError(500, 'ATL_BUNDLE_CORRUPT', `The stored bundle of ${model.name} version ${version.version} cannot be read: ${answer.corrupt}`);
    throw new Error(`ONNX export of ${model.name} version ${version.version} failed: ${answer.error}`);
  }
}
