// A batch prediction job (spec.type 'batch_predict'): score a dataset version with a model version and
// publish the predictions (plus passthrough columns) as the next version of the output dataset, with
// lineage to both. Memory stays flat whatever the row count:
//   input version ──► local file (job-scoped scratch dir)
//   ──► column chunks of `chunkRows` rows (typed arrays, never an object per row)
//   ──► the bundle's preprocessing + one forward pass per chunk (the engine's inference path)
//   ──► predictions appended to a file-backed DuckDB table
//   ──► one COPY … POSITIONAL JOIN … TO parquet (passthrough columns never enter JavaScript)
//   ──► the datasets registration path (analyzer: schema + profile; bytes under their content key)
//   ──► the version row + the job's success + its event in ONE transaction.
// A kill -9 anywhere before that transaction leaves no version: the lease expires and the job starts
// again from its first row (the scratch dir of the dead attempt is removed when this worker next runs
// the job). A cancel stops between chunks (or interrupts the COPY) and commits nothing.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Catalog, DatasetVersion, TrainingJob } from '@atelier/catalog';
import { batchPredictionColumns, type BatchPredictJobSpec, type BatchPredictionOutput } from '@atelier/contracts';
import {
  INPUT_MAPPING_METADATA_KEY,
  PreprocessingError,
  Preprocessor,
  batchFromTransform,
  createPredictor,
  loadBundle,
  parseInputMapping,
  toModelInputs,
  type RawColumns,
} from '@atelier/engine';
import {
  AlignedParquetWriter,
  publishDatasetFile,
  readDatasetVersionChunks,
  storedColumns,
  type ColumnChunk,
  type ColumnRead,
  type ComputedColumn,
  type VersionSchema,
} from '@atelier/feature-store';
import { JobFailure, LeaseLostError } from './errors.js';
import type { EvaluationHooks } from './evaluation-run.js';
import type { RunnerDeps } from './job-runner.js';
import { withRetry } from './retry.js';

/** What scores a chunk: N rows of raw columns in, N × width values out (row-major). */
export interface ChunkScorer {
  readonly inputs: Array<{ name: string; dtype: string }>;
  readonly width: number;
  readonly task: string | null;
  score(chunk: ColumnChunk): Float32Array;
}

/** An Atelier bundle on the engine's inference path, preprocessing replayed exactly as at training. */
export function engineChunkScorer(bundle: Uint8Array): ChunkScorer {
  const { model, manifest } = loadBundle(new Uint8Array(bundle));
  const predictor = createPredictor(model);
  const pre = manifest.preprocessing ? Preprocessor.fromJSON(manifest.preprocessing) : null;
  const rawMapping = manifest.metadata?.[INPUT_MAPPING_METADATA_KEY];
  const mapping = rawMapping ? parseInputMapping(rawMapping) : null;
  const inputs = manifest.signature.inputs.map((s) => ({ name: s.name, dtype: s.dtype as string, shape: s.shape ?? [] }));
  return {
    inputs,
    width: manifest.output.names.length,
    task: manifest.output.task ?? null,
    score(chunk) {
      const n = chunk.numRows;
      if (pre) {
        const out = pre.transform(chunk.columns as RawColumns, n);
        const modelInputs = mapping ? toModelInputs(mapping, out) : batchFromTransform(out).inputs;
        return predictor.predict({ numRows: n, inputs: modelInputs });
      }
      // No preprocessing: each model input is a scalar column of the dataset.
      const modelInputs: Record<string, Float32Array | Int32Array> = {};
      for (const f of inputs) {
        const src = chunk.columns[f.name] as Float64Array;
        modelInputs[f.name] = f.dtype === 'int32' ? Int32Array.from(src) : Float32Array.from(src);
      }
      return predictor.predict({ numRows: n, inputs: modelInputs });
    },
  };
}

/** The computed columns and how a chunk's raw outputs become them (classes as codes into the class labels). */
function outputPlan(task: string | null, outputs: readonly BatchPredictionOutput[], classes: string[] | null, width: number) {
  const names = batchPredictionColumns(task, outputs, classes, width);
  const columns: ComputedColumn[] = [];
  const fill: Array<(raw: Float32Array, n: number) => Float64Array | Int32Array> = [];
  const labels = Array.from({ length: Math.max(width, 2) }, (_, k) => classes?.[k] ?? String(k));
  let at = 0;
  for (const o of outputs) {
    if (o === 'probabilities' && task === 'multiclass') {
      for (let j = 0; j < width; j++) {
        columns.push({ name: names[at++], type: 'double' });
        fill.push((raw, n) => {
          const col = new Float64Array(n);
          for (let r = 0; r < n; r++) col[r] = raw[r * width + j];
          return col;
        });
      }
    } else if (o === 'class') {
      columns.push({ name: names[at++], type: 'category', categories: labels });
      fill.push((raw, n) => {
        const col = new Int32Array(n);
        for (let r = 0; r < n; r++) {
          if (width === 1) {
            const p = raw[r];
            col[r] = Number.isNaN(p) ? -1 : p >= 0.5 ? 1 : 0;
          } else {
            let best = 0;
            for (let j = 1; j < width; j++) if (raw[r * width + j] > raw[r * width + best]) best = j;
            col[r] = Number.isNaN(raw[r * width + best]) ? -1 : best;
          }
        }
        return col;
      });
    } else {
      columns.push({ name: names[at++], type: 'double' });
      fill.push((raw, n) => {
        const col = new Float64Array(n);
        for (let r = 0; r < n; r++) col[r] = raw[r * width];
        return col;
      });
    }
  }
  return { columns, fill };
}

/** How each input column is read: numbers when the model takes numbers or the column is numeric (as training read it). */
export function inputReads(inputs: ChunkScorer['inputs'], schema: VersionSchema): Record<string, ColumnRead> {
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  const reads: Record<string, ColumnRead> = {};
  for (const f of inputs) {
    const t = types.get(f.name);
    reads[f.name] = f.dtype !== 'string' || t === 'integer' || t === 'float' ? 'number' : 'text';
  }
  return reads;
}

async function readBundle(deps: RunnerDeps, key: string, sha256: string, signal: AbortSignal): Promise<Uint8Array> {
  const bytes = await withRetry(() => deps.artifacts.getBytes(key), { signal });
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new JobFailure('the model bundle does not match its recorded sha256');
  return bytes;
}

/** Remove what earlier, killed attempts of this job left in the scratch dir of this machine. */
async function sweepScratch(root: string, jobId: string, keep: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const e of entries) if (e.startsWith(`${jobId}-`) && join(root, e) !== keep) await rm(join(root, e), { recursive: true, force: true });
}

async function resolveInput(catalog: Catalog, projectId: string, spec: BatchPredictJobSpec): Promise<DatasetVersion> {
  const version = await catalog.datasets.findVersionById(spec.input.versionId);
  const dataset = version && (await catalog.datasets.findById(version.datasetId));
  if (!version || !dataset || dataset.projectId !== projectId) throw new JobFailure(`dataset version ${spec.input.dataset} v${spec.input.version} no longer exists in this project`);
  return version;
}

/** `spec`: checked by the job runner against the contracts' BatchPredictJobSpec. */
export async function runBatchPrediction(deps: RunnerDeps, job: TrainingJob, spec: BatchPredictJobSpec, hooks: EvaluationHooks): Promise<void> {
  const { catalog, artifacts, config } = deps;
  const version = await catalog.models.findVersionById(spec.modelVersionId);
  const model = version && (await catalog.models.findById(version.modelId));
  if (!version || !model || model.projectId !== job.projectId) throw new JobFailure(`model version ${spec.modelVersionId} no longer exists in this project`);
  if (version.format !== 'atelier') {
    throw new JobFailure(`version ${version.version} of '${model.name}' is an ${version.format} model; batch predictions score Atelier bundles only`);
  }
  const input = await resolveInput(catalog, job.projectId, spec);
  const schema = { columns: storedColumns(input.schema) } as unknown as VersionSchema;
  const scorer = engineChunkScorer(await readBundle(deps, version.bundleKey, version.bundleSha256, hooks.signal));
  const reads = inputReads(scorer.inputs, schema);
  const known = new Set(schema.columns.map((c) => c.name));
  const missing = [...Object.keys(reads), ...spec.passthroughColumns].filter((n) => !known.has(n));
  if (missing.length) throw new JobFailure(`${spec.input.dataset} v${spec.input.version} lacks column(s) ${missing.join(', ')}`);
  const classes = ((version.signature as { labelClasses?: unknown } | null)?.labelClasses ?? null) as string[] | null;
  const plan = outputPlan(scorer.task, spec.outputs, Array.isArray(classes) ? classes.map(String) : null, scorer.width);
  const clash = plan.columns.find((c) => spec.passthroughColumns.includes(c.name));
  if (clash) throw new JobFailure(`passthrough column '${clash.name}' has the name of an output column`);

  const root = config.batchWorkDir;
  const workDir = join(root, `${job.id}-${job.attempts}`);
  await mkdir(root, { recursive: true });
  await sweepScratch(root, job.id, workDir);
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const duckdb = { memoryLimitMb: config.batchDuckdbMemoryLimitMb, threads: 1, tempDirectory: join(workDir, 'spill') };
  let writer: AlignedParquetWriter | undefined;
  const onAbort = () => writer?.interrupt();
  hooks.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const inputPath = join(workDir, `input.${input.format}`);
    await withRetry(async () => pipeline(await artifacts.get(input.artifactKey), createWriteStream(inputPath)), { signal: hooks.signal });
    const total = Number(input.rowCount);
    await hooks.event('log', {
      level: 'info',
      message: `scoring ${spec.input.dataset} v${spec.input.version} (${total} rows) with ${model.name} v${version.version} in chunks of ${spec.chunkRows}`,
    });
    writer = await AlignedParquetWriter.open({
      workDir,
      source: { path: inputPath, format: input.format, schema },
      passthrough: spec.passthroughColumns,
      computed: plan.columns,
      duckdb,
    });
    const started = performance.now();
    let scored = 0;
    let nextReport = performance.now() + 1000;
    let nextLog = 0.25;
    const chunks = readDatasetVersionChunks(artifacts, input, reads, {
      chunkRows: spec.chunkRows,
      localPath: inputPath,
      memoryLimitMb: duckdb.memoryLimitMb,
      threads: 1,
      tempDirectory: duckdb.tempDirectory,
      signal: hooks.signal,
    });
    for await (const chunk of chunks) {
      if (hooks.isCancelled()) return await hooks.finish({ status: 'cancelled', error: 'cancelled by request', metrics: { rowsScored: scored, totalRows: total } });
      let raw: Float32Array;
      try {
        raw = scorer.score(chunk);
      } catch (err) {
        if (err instanceof PreprocessingError) throw new JobFailure(`row ${scored + err.row + 1}: ${err.message}`);
        throw new JobFailure(`scoring rows ${scored + 1}–${scored + chunk.numRows} failed: ${(err as Error).message}`);
      }
      writer.append(chunk.numRows, plan.fill.map((f) => f(raw, chunk.numRows)));
      scored += chunk.numRows;
      if (performance.now() >= nextReport) {
        nextReport = performance.now() + 1000;
        await catalog.trainingJobs.updateMetrics(job.id, { rowsScored: scored, totalRows: total }).catch(() => {});
      }
      if (total > 0 && scored / total >= nextLog) {
        await hooks.event('log', { level: 'info', message: `scored ${scored} of ${total} rows` });
        while (scored / total >= nextLog) nextLog += 0.25;
      }
      await yieldToLoop(); // lease renewals and the gateway's requests run between chunks
    }
    if (hooks.signal.aborted) throw new LeaseLostError(job.id);
    if (hooks.isCancelled()) return await hooks.finish({ status: 'cancelled', error: 'cancelled by request', metrics: { rowsScored: scored, totalRows: total } });
    if (scored !== total) throw new JobFailure(`read ${scored} rows of ${spec.input.dataset} v${spec.input.version}, whose version records ${total}`);
    const scoreSeconds = (performance.now() - started) / 1000;
    const path = await writer.finish(total);
    await writer.close();
    const writeSeconds = (performance.now() - started) / 1000 - scoreSeconds;
    if (hooks.isCancelled()) return await hooks.finish({ status: 'cancelled', error: 'cancelled by request', metrics: { rowsScored: scored, totalRows: total } });

    const lineage = {
      kind: 'batch-prediction',
      batchPredictionJobId: job.id,
      model: { name: model.name, version: version.version, versionId: version.id, ...(spec.alias && { alias: spec.alias }) },
      input: { dataset: spec.input.dataset, version: spec.input.version, versionId: input.id },
      passthroughColumns: spec.passthroughColumns,
      outputs: spec.outputs,
      worker: config.workerId,
      attempt: job.attempts,
    };
    let cancelled = false;
    const published = await publishDatasetFile(
      catalog,
      artifacts,
      { projectId: job.projectId, dataset: spec.output.dataset, path, format: 'parquet', lineage, createdBy: job.createdBy, duckdb },
      async (tx, result) => {
        if (hooks.isCancelled()) {
          cancelled = true;
          throw new JobFailure('cancelled by request');
        }
        hooks.markFinishing();
        const round = (x: number) => Math.round(x * 10) / 10;
        const metrics = {
          rowsScored: scored,
          totalRows: total,
          rowsPerSecond: Math.round(scored / Math.max(scoreSeconds, 1e-6)),
          // Where the time went: read + score + append, the Parquet COPY, profile + store + register.
          seconds: { score: round(scoreSeconds), writeParquet: round(writeSeconds), publish: round((performance.now() - started) / 1000 - scoreSeconds - writeSeconds) },
          outputDatasetVersionId: result.version.id,
          outputVersion: result.version.version,
          outputCreated: result.created,
        };
        const done = await tx.trainingJobs.finish(job.id, config.workerId, { status: 'succeeded', modelVersionId: version.id, metrics });
        if (!done) throw new LeaseLostError(job.id);
        await tx.trainingJobs.appendEvent(job.id, 'state', {
          status: 'succeeded',
          modelVersionId: version.id,
          modelVersion: version.version,
          outputDatasetVersionId: result.version.id,
          outputDataset: spec.output.dataset,
          outputVersion: result.version.version,
          rowsScored: scored,
        });
      },
    ).catch((err: unknown) => {
      if (cancelled) return null;
      throw err;
    });
    if (!published) return await hooks.finish({ status: 'cancelled', error: 'cancelled by request', metrics: { rowsScored: scored, totalRows: total } });
    deps.log('info', `job ${job.id} wrote ${spec.output.dataset} v${published.version.version} (${scored} rows)`);
  } catch (err) {
    if (hooks.signal.aborted && !(err instanceof JobFailure)) throw new LeaseLostError(job.id);
    throw err;
  } finally {
    hooks.signal.removeEventListener('abort', onAbort);
    await writer?.close().catch(() => {});
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }
}
