import { describe, expect, it } from 'vitest';
import {
  EvaluateJobSpec,
  FeatureSpec,
  GateThreshold,
  HYPERPARAMETERS_BY_KIND,
  JobLogEvent,
  JobMetricEvent,
  JobStateEvent,
  MODEL_KINDS,
  ModelTask,
  PREDICT_LIMITS,
  PredictRequest,
  PredictResponse,
  RankRequest,
  RankResponse,
  SplitSpec,
  TRAINING_DEFAULTS,
  TrainJobSpec,
  TrainingJobRequest,
  artifactKeys,
  compileContract,
  createJobSpecChecker,
  defaultEpochs,
  parseArtifactKey,
  resolveTrainingSettings,
  patienceEpochs,
  featureTransform,
  DEFAULT_TRANSFORMS,
  statusOfCode,
} from './index.js';

const train = {
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [{ name: 'age', type: 'numeric', transform: 'standardize' }],
  model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8] } },
};

describe('contracts', () => {
  it('compiles every schema and accepts a valid value of each', () => {
    const samples: Array<[unknown, unknown]> = [
      [PredictRequest, { instances: [{ age: 3, tags: ['a'] }], requestId: 'r1' }],
      [PredictResponse, { model: 'm', version: 1, deployment: null, outputs: ['p'], predictions: [0.3] }],
      [RankRequest, { candidates: [{ item: 'a' }], topK: 1 }],
      [RankResponse, { model: 'm', version: 1, deployment: 'd', ranking: [{ index: 0, score: 1 }] }],
      [TrainingJobRequest, { ...train, priority: 1, maxAttempts: 2 }],
      [TrainJobSpec, { ...train, type: 'train', device: 'auto', datasetVersionId: '00000000-0000-4000-8000-000000000000' }],
      [EvaluateJobSpec, { type: 'evaluate', modelVersionId: '00000000-0000-4000-8000-000000000000', datasetVersionId: null, gate: [] }],
      [FeatureSpec, { name: 'city', type: 'categorical', transform: 'hash', options: { hashBuckets: 8 } }],
      [SplitSpec, { method: 'time', timeColumn: 'ts' }],
      [GateThreshold, { metric: 'auc', direction: 'higher_is_better', maxRegression: 0 }],
      [ModelTask, 'retrieval'],
      [JobStateEvent, { status: 'running', attempt: 1 }],
      [JobMetricEvent, { epoch: 1, trainLoss: 0.5, val_auc: 0.8 }],
      [JobLogEvent, { level: 'info', message: 'hello' }],
      ...MODEL_KINDS.map((k): [unknown, unknown] => [HYPERPARAMETERS_BY_KIND[k], k === 'two_tower' ? { userFeatures: ['u'], itemFeatures: ['i'] } : {}]),
    ];
    for (const [schema, value] of samples) expect(compileContract(schema as never)(value)).toEqual([]);
  });

  it('names every bad field as a JSON pointer, with a tagged union reduced to the variant its tag picks', () => {
    const check = compileContract(TrainingJobRequest);
    expect(check({ ...train, model: { kind: 'nope' }, surprise: 1 })).toEqual([
      { field: '/surprise', message: 'is not a known field' },
      { field: '/model/kind', message: `must be one of ${MODEL_KINDS.map((k) => JSON.stringify(k)).join(', ')}` },
    ]);
    expect(check({ ...train, split: { method: 'time' } })).toEqual([{ field: '/split/timeColumn', message: 'is required' }]);
    expect(check({ ...train, split: { method: 'random', seed: -1 } })).toEqual([{ field: '/split/seed', message: 'must be >= 0' }]);
  });

  it('checks a stored job spec with its kind’s hyperparameters, and an evaluate spec by its type', () => {
    const check = createJobSpecChecker();
    expect(check({ ...train, type: 'train' })).toMatchObject({ ok: true });
    expect(check({ ...train, model: { kind: 'logistic', hyperparameters: { hiddenUnits: [8] } } })).toEqual({
      ok: false,
      errors: [{ field: '/model/hyperparameters/hiddenUnits', message: 'is not a known field' }],
    });
    expect(check({ type: 'evaluate', modelVersionId: 'not-a-uuid' })).toEqual({ ok: false, errors: [{ field: '/modelVersionId', message: 'must match format "uuid"' }] });
    expect(check(null)).toMatchObject({ ok: false });
  });

  it('applies the training defaults in one place, and the request schema documents the same values', () => {
    const s = resolveTrainingSettings({ model: { kind: 'logistic' } });
    expect(s).toMatchObject({
      seed: TRAINING_DEFAULTS.seed,
      splitSeed: TRAINING_DEFAULTS.seed,
      fractions: TRAINING_DEFAULTS.fractions,
      batchSize: TRAINING_DEFAULTS.batchSize,
      optimizer: { kind: 'adam', lr: TRAINING_DEFAULTS.lr },
      cores: 1,
    });
    // Patience is counted in optimizer steps, rounded up to whole epochs, never under minPatienceEpochs.
    const es = TRAINING_DEFAULTS.earlyStopping;
    expect(s.earlyStopping(4_000)).toEqual({ patience: Math.max(es.minPatienceEpochs, Math.ceil(es.patienceSteps / (32 * s.passesPerEpoch(4_000)))), minDelta: 0 });
    expect(s.earlyStopping(10_000_000)).toEqual({ patience: es.minPatienceEpochs, minDelta: 0 });
    expect(patienceEpochs(1000, 100, 128)).toBe(1000);
    // The learning rate follows a cosine over the planned steps, down to minLrFraction × lr.
    const steps = s.epochs(4_000) * s.passesPerEpoch(4_000) * 32;
    expect(s.lrSchedule(4_000)).toEqual({
      schedule: { kind: 'cosine', totalSteps: steps - TRAINING_DEFAULTS.lrSchedule.warmupSteps, minLr: TRAINING_DEFAULTS.lr * TRAINING_DEFAULTS.lrSchedule.minLrFraction },
      warmupSteps: TRAINING_DEFAULTS.lrSchedule.warmupSteps,
    });
    // Transforms: numeric robust, categorical vocabulary, unless the feature names one.
    expect(featureTransform({ type: 'numeric' })).toBe(DEFAULT_TRANSFORMS.numeric);
    expect(featureTransform({ type: 'categorical' })).toBe('vocabulary');
    expect(featureTransform({ type: 'numeric', transform: 'minmax' })).toBe('minmax');
    // Without maxEpochs: ~targetSteps optimizer steps, within [minEpochs, maxEpochsCap].
    // A 4000-row table makes 32 steps a pass: an epoch is 4 passes (≥ minStepsPerEpoch steps between validations).
    expect(s.passesPerEpoch(4_000)).toBe(Math.ceil(TRAINING_DEFAULTS.minStepsPerEpoch / 32));
    expect(s.epochs(4_000)).toBe(Math.ceil(Math.ceil(TRAINING_DEFAULTS.targetSteps / 32) / s.passesPerEpoch(4_000)));
    expect(s.passesPerEpoch(10_000_000)).toBe(1);
    expect(s.epochs(10_000_000)).toBe(TRAINING_DEFAULTS.minEpochs);
    expect(defaultEpochs(1, 128)).toBe(TRAINING_DEFAULTS.maxEpochsCap);
    expect(resolveTrainingSettings({ model: { kind: 'linear' } }).optimizer.lr).toBe(TRAINING_DEFAULTS.linearLr);
    const explicit = resolveTrainingSettings({ model: { kind: 'mlp' }, maxEpochs: 3, seed: 7, split: { method: 'random', seed: 9 }, optimizer: { kind: 'sgd', lr: 0.5, l2: 0.1 } });
    expect(explicit).toMatchObject({ seed: 7, splitSeed: 9, optimizer: { kind: 'sgd', lr: 0.5, l2: 0.1 } });
    expect(explicit.epochs(1_000)).toBe(3);
    // An explicit spec keeps what it meant before: no early stopping, a constant learning rate…
    expect(explicit.earlyStopping(1_000)).toBeUndefined();
    expect(explicit.lrSchedule(1_000)).toEqual({ schedule: { kind: 'constant' }, warmupSteps: 0 });
    // …and patience given in epochs stays in epochs; patienceSteps converts; a schedule can be asked for.
    const withEs = resolveTrainingSettings({ model: { kind: 'mlp' }, maxEpochs: 50, earlyStopping: { patience: 4, metric: 'val_auc' }, lrSchedule: { kind: 'cosine', warmupSteps: 10 } });
    expect(withEs.earlyStopping(1_000_000)).toEqual({ metric: 'val_auc', patience: 4, minDelta: 0 });
    expect(withEs.lrSchedule(1_280)).toEqual({ schedule: { kind: 'cosine', totalSteps: 50 * 10 - 10, minLr: TRAINING_DEFAULTS.lr * TRAINING_DEFAULTS.lrSchedule.minLrFraction }, warmupSteps: 10 });
    expect(resolveTrainingSettings({ model: { kind: 'mlp' }, earlyStopping: { patienceSteps: 10_000 } }).earlyStopping(128_000)).toEqual({ patience: 10, minDelta: 0 });
    expect(withEs.passesPerEpoch(1_280)).toBe(1); // maxEpochs counts passes, as it always did
    const props = TrainingJobRequest.properties as unknown as Record<string, { description: string }>;
    expect(props.batchSize.description).toBe(`default ${TRAINING_DEFAULTS.batchSize}`);
    expect(props.seed.description).toBe(`default ${TRAINING_DEFAULTS.seed}`);
    expect(props.optimizer.description).toContain(`lr ${TRAINING_DEFAULTS.lr}`);
    expect(props.maxEpochs.description).toContain(`${TRAINING_DEFAULTS.minEpochs} to ${TRAINING_DEFAULTS.maxEpochsCap}`);
  });

  it('holds one set of predict limits in the schemas', () => {
    type Limits = Record<string, { maxItems: number; maximum: number; maxLength: number }>;
    const p = PredictRequest.properties as unknown as Limits;
    const r = RankRequest.properties as unknown as Limits;
    expect(p.instances.maxItems).toBe(PREDICT_LIMITS.maxInstances);
    expect(p.entityKeys.maxItems).toBe(PREDICT_LIMITS.maxEntityKeys);
    expect(p.featureViews.maxItems).toBe(PREDICT_LIMITS.maxFeatureViews);
    expect(r.featureViews.maxItems).toBe(PREDICT_LIMITS.maxFeatureViews);
    expect(r.candidates.maxItems).toBe(PREDICT_LIMITS.maxCandidates);
    expect([p.timeoutMs.maximum, r.timeoutMs.maximum]).toEqual([PREDICT_LIMITS.maxTimeoutMs, PREDICT_LIMITS.maxTimeoutMs]);
    expect([p.requestId.maxLength, r.requestId.maxLength]).toEqual([PREDICT_LIMITS.maxRequestIdLength, PREDICT_LIMITS.maxRequestIdLength]);
    const over = compileContract(PredictRequest)({ entityKeys: Array.from({ length: PREDICT_LIMITS.maxEntityKeys + 1 }, () => ({ k: 1 })) });
    expect(over.map((e) => e.field)).toEqual(['/entityKeys']);
  });

  it('builds artifact keys that its parsers read back', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const model = '00000000-0000-4000-8000-000000000002';
    const sha = 'a'.repeat(64);
    expect(parseArtifactKey.dataset(artifactKeys.dataset(id, sha, 'parquet'))).toEqual({ datasetId: id, sha256: sha });
    expect(parseArtifactKey.bundle(artifactKeys.bundle(id, model, sha, 'onnx'))).toEqual({ projectId: id, modelId: model, sha256: sha });
    expect(artifactKeys.bundle(id, model, sha)).toMatch(/\.atlbndl$/);
    expect(parseArtifactKey.checkpoint(artifactKeys.checkpoint(id, 7))).toEqual({ jobId: id });
    expect(artifactKeys.checkpoint(id, 7).startsWith(artifactKeys.checkpointPrefix(id))).toBe(true);
    expect(artifactKeys.upload(id, model, 'u1').startsWith(artifactKeys.uploadsPrefix)).toBe(true);
    expect(parseArtifactKey.dataset(`datasets/${id}/sha256/${sha}.exe`)).toBeNull();
  });

  it('gives each error code one status', () => {
    expect(statusOfCode('ATL_QUEUE_FULL')).toBe(503);
    expect(statusOfCode('ATL_EVALUATION_FINISHED')).toBe(409);
    expect(statusOfCode('ATL_NOT_A_CODE')).toBeUndefined();
    expect(statusOfCode('toString')).toBeUndefined();
  });
});
