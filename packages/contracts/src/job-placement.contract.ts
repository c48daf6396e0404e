// Where a training job ran: the device and engine backend its worker thread trained on, and for a GPU
// job which GPU, its allocator's memory peak, utilisation and CUDA Graph use. The thread decides it,
// the job runner stores it in the job's metrics (`metrics.placement`) and the model version's lineage,
// the gateway returns it and the console shows it.
import { Type, type Static } from 'typebox';

export const JobPlacementGpu = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: 'the CUDA device index on the worker' }),
    name: Type.String({ description: 'the device name the driver reports' }),
    computeCapability: Type.String({ description: 'major.minor, e.g. 9.0' }),
    totalMemoryBytes: Type.Number({ minimum: 0 }),
    memoryPeakBytes: Type.Number({ minimum: 0, description: "peak bytes reserved by the backend's caching allocator during the run" }),
    utilizationPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'mean GPU utilisation over per-epoch samples (absent when NVML does not answer)' })),
    precision: Type.String({ description: 'GEMM precision: tf32, bf16 or fp32' }),
    cudaGraphs: Type.Object(
      {
        capturedSteps: Type.Integer({ minimum: 0 }),
        replayedSteps: Type.Integer({ minimum: 0 }),
        reason: Type.Union([Type.String(), Type.Null()], { description: 'why steps ran eagerly instead (disabled, shapes changed…), or null' }),
      },
      { additionalProperties: false },
    ),
  },
  { title: 'JobPlacementGpu', additionalProperties: false },
);
export type JobPlacementGpu = Static<typeof JobPlacementGpu>;

export const JobPlacement = Type.Object(
  {
    device: Type.Union([Type.Literal('cpu'), Type.Literal('gpu')], { description: 'what the job trained on (an auto job resolves to one of them)' }),
    backend: Type.Union([Type.Literal('cuda'), Type.Literal('native-cpu'), Type.Literal('cpu')], { description: "the engine backend: cuda, native-cpu or cpu (the TypeScript one)" }),
    worker: Type.String({ description: 'the orchestrator worker that ran it' }),
    gpu: Type.Optional(JobPlacementGpu),
    fallbackReason: Type.Optional(Type.String({ description: 'an auto job that could not use a GPU: why it trained on CPU' })),
  },
  { title: 'JobPlacement', additionalProperties: false },
);
export type JobPlacement = Static<typeof JobPlacement>;
