// The worker-thread side of a run: receives the spec, the loaded columns and the checkpoint to resume
// from (if any), trains with the engine, and posts epochs, checkpoints and the result to the job
// runner. A 'cancel' message aborts the fit loop between batches.
import { parentPort, workerData } from 'node:worker_threads';
// Registers the native CPU backend (the default when its addon loads; otherwise the engine keeps the
// TypeScript backend and says why). Its pool is ATELIER_ENGINE_CPU_THREADS threads, one by default: each
// job's worker thread computes inline, so concurrent jobs never oversubscribe the worker's cores.
import { nativeCpuStatus } from '@atelier/engine-cpu';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import { evaluateAfterTraining, runEvaluationCompute } from './evaluation-core.js';
import { columnarQuerySql, DuckDbSession, readQueryColumnChunks, type ColumnChunk } from '@atelier/feature-store';
import { runTraining, type TrainingHooks } from './training-core.js';
import { runStreamingTraining } from './training-stream.js';
import { ThreadPlacement } from './thread-placement.js';
import type { TrainJobSpec } from '@atelier/contracts';
import type { ThreadMessage, ThreadInput } from './thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('training-thread.ts must run as a worker thread');

const input = workerData as ThreadInput;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m?.type === 'cancel') abort.abort();
});

const post = (m: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function backendLine(): string {
  const s = nativeCpuStatus();
  return s.loaded ? `engine backend: native-cpu (${s.isa}, ${s.threads} thread${s.threads === 1 ? '' : 's'})` : `engine backend: TypeScript (native-cpu unavailable: ${s.reason})`;
}

async function main(): Promise<void> {
  if (input.mode === 'evaluate') {
    const outputs = input.bundles.map((b) =>
      runEvaluationCompute({ bundle: b.bytes, table: input.table, rows: input.rows, sliceColumn: input.sliceColumn, labelColumn: input.labelColumn, seed: input.seed }, { importance: b.importance }),
    );
    post({ type: 'evaluated', outputs });
    return;
  }
  const spec = input.spec as unknown as TrainJobSpec; // checked by the job runner before the thread starts
  // The backend follows the job's device ('gpu' fails here, naming why, when its GPU cannot be used).
  const placement = await ThreadPlacement.select(input.device, { modelKind: spec.model.kind, log: (message) => post({ type: 'log', message }) });
  const where = placement.placement();
  if (where.device === 'cpu') post({ type: 'log', message: backendLine() }); // the job's log says which backend trained it
  post({ type: 'placement', placement: where });
  const resumeFrom = input.checkpoint ? decodeCheckpoint(input.checkpoint).checkpoint : undefined;
  const gpuMemoryBytes = placement.gpuMemoryBytes();
  const hooks: TrainingHooks = {
    signal: abort.signal,
    ...(gpuMemoryBytes !== undefined && { gpuMemoryBytes }),
    ...(input.checkpointIntervalMs ? { checkpointIntervalMs: input.checkpointIntervalMs } : {}),
    onLog: (message) => post({ type: 'log', message }),
    onEpoch: (report) => {
      const gpu = placement.sampleEpoch();
      post({ type: 'epoch', report: gpu ? { ...report, gpu } : report });
    },
    onCheckpoint: (c) => {
      const bytes = encodeCheckpoint(c);
      post({ type: 'checkpoint', epoch: c.epoch, bytes }, [bytes.buffer as ArrayBuffer]);
    },
  };
  let outcome;
  if (input.mode === 'train-stream') {
    const { parquetPath, schema, wanted, stream } = input;
    const sql = columnarQuerySql(parquetPath, 'parquet', schema, wanted);
    const reads = Object.keys(wanted).map((name) => ({ name, read: wanted[name] }));
    // One pass over the Parquet copy per call, by row groups; DuckDB decodes on its own thread.
    const source = async function* (): AsyncGenerator<ColumnChunk> {
      const db = await DuckDbSession.open({ threads: 1, memoryLimitMb: 128 });
      try {
        yield* readQueryColumnChunks(db, sql, reads, { chunkRows: stream.chunkRows ?? 65_536 }); // a cancel stops fit between batches, which closes this pass
      } finally {
        db.close();
      }
    };
    outcome = await runStreamingTraining(spec, source, hooks, resumeFrom, stream);
  } else {
    outcome = await runTraining(spec, input.table, hooks, resumeFrom);
  }
  const { bundle, ...rest } = outcome;
  post({ type: 'placement', placement: placement.placement() }); // the final memory peak, utilisation and graph replays
  // Evaluation after training runs on the CPU backend (as serving and batch prediction do).
  placement.restoreCpu();
  if (bundle && !abort.signal.aborted && input.mode === 'train-stream') {
    // The streamed path keeps no whole table to re-split: its version gets the holdout metrics only.
    post({ type: 'log', message: 'evaluation after training (curves, feature importance) is not computed for a streamed dataset; run an evaluation job for them' });
  } else if (bundle && !abort.signal.aborted && input.mode === 'train') {
    const evaluated = evaluateAfterTraining(input.spec as unknown as TrainJobSpec, input.table, bundle);
    if ('error' in evaluated) post({ type: 'log', message: `evaluation after training skipped: ${evaluated.error}` });
    else {
      rest.evaluation = evaluated;
      post({ type: 'log', message: 'evaluated the holdout split: curves and feature importance stored with the version' });
    }
  }
  post({ type: 'done', outcome: rest, ...(bundle && { bundle }) }, bundle ? [bundle.buffer as ArrayBuffer] : []);
}

main()
  .catch((err: Error) => {
    post({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(err) });
  })
  .finally(() => port.close());
