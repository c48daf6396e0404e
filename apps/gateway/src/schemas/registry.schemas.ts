// The model registry's HTTP shapes: models, versions, aliases, uploads, evaluations.
import { Type, type Static } from 'typebox';
import { GateThreshold as GateThresholdSchema, ModelTask } from '@atelier/contracts';
import { DateTime, Int32, ResourceName, Uuid, VersionNumber } from './common.schemas.js';

// Task names and gate thresholds are the contracts' (the orchestrator writes and reads the same ones).
export { GateThresholdSchema, ModelTask };

export const AliasName = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,62}$',
  description: "an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter",
});

export const ModelParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const VersionParams = Type.Object(
  { project: ResourceName, name: ResourceName, version: VersionNumber({ description: 'the version number' }) },
  { additionalProperties: false },
);
export const AliasParams = Type.Object({ project: ResourceName, name: ResourceName, alias: AliasName }, { additionalProperties: false });
export const EvaluationParams = Type.Object({ project: ResourceName, evaluationId: Uuid }, { additionalProperties: false });

export const ModelBody = Type.Object(
  {
    name: ResourceName,
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    task: Type.Optional(ModelTask),
  },
  { title: 'ModelBody', additionalProperties: false },
);

export const AliasPointer = Type.Object({ alias: Type.String(), version: Type.Integer(), updatedAt: DateTime }, { title: 'AliasPointer' });

export const ModelView = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  task: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  latestVersion: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  aliases: Type.Optional(Type.Array(AliasPointer)),
}, { title: 'ModelView' });

export const ModelList = Type.Object({
  items: Type.Array(ModelView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for the next page; null on the last' }),
}, { title: 'ModelList' });

const SignatureField = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    dtype: Type.Union([Type.Literal('float32'), Type.Literal('float64'), Type.Literal('int32'), Type.Literal('int64'), Type.Literal('string'), Type.Literal('bool')]),
    shape: Type.Array(Int32({ minimum: -1 }), { maxItems: 8, description: 'per-row shape: [] a scalar, [n] a vector, -1 a free dimension' }),
    nullable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OnnxSignature = Type.Object(
  {
    inputs: Type.Array(SignatureField, { minItems: 1, maxItems: 4096 }),
    outputs: Type.Array(SignatureField, { minItems: 1, maxItems: 64 }),
  },
  { title: 'OnnxSignature', additionalProperties: false, description: "the ONNX graph's inputs and outputs, per row (the batch dimension is implied)" },
);
export type OnnxSignatureT = Static<typeof OnnxSignature>;

const OnnxGraphValue = Type.Object({
  name: Type.String(),
  type: Type.Union([Type.String(), Type.Null()], { description: "ONNX Runtime's element type (float32, int64, string…); null when not a tensor" }),
  shape: Type.Array(Type.Union([Type.Integer(), Type.String()]), { description: 'batch first; a string is a symbolic dimension; [] when the model does not say' }),
});

export const UploadView = Type.Object({
  uploadId: Uuid,
  sha256: Type.String(),
  size: Type.Integer(),
  inputs: Type.Array(OnnxGraphValue, { description: "the graph's inputs as ONNX Runtime loaded them: what the version's signature must fit" }),
  outputs: Type.Array(OnnxGraphValue, { description: "the graph's outputs" }),
}, { title: 'UploadView' });

export const RegisterVersionBody = Type.Object(
  {
    format: Type.Literal('onnx'),
    uploadId: Uuid,
    signature: OnnxSignature,
    metrics: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Number(), { description: 'metrics measured elsewhere, kept as given' })),
    lineage: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { description: 'where the model came from (framework, run id…)' })),
  },
  { title: 'RegisterModelVersionBody', additionalProperties: false },
);

export const EvaluationSummary = Type.Object({
  id: Uuid,
  status: Type.String(),
  verdict: Type.String(),
  createdAt: DateTime,
}, { title: 'EvaluationSummary' });

export const VersionView = Type.Object({
  id: Uuid,
  model: Type.String(),
  version: Type.Integer(),
  format: Type.String({ description: "'atelier' (trained here) or 'onnx' (registered)" }),
  bundle: Type.Object({
    sha256: Type.String(),
    size: Type.Integer(),
    url: Type.String({ description: 'where to download it' }),
  }),
  signature: Type.Unknown(),
  metrics: Type.Record(Type.String(), Type.Number()),
  lineage: Type.Record(Type.String(), Type.Unknown(), {
    description: 'trained here: datasetVersionId, jobId, spec, engineVersion, seed; registered: source and what the caller sent',
  }),
  aliases: Type.Array(Type.String()),
  latestEvaluation: Type.Optional(Type.Union([EvaluationSummary, Type.Null()])),
  createdAt: DateTime,
  createdBy: Type.Union([Type.String(), Type.Null()]),
}, { title: 'VersionView' });

export const VersionList = Type.Object({
  items: Type.Array(VersionView),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as `before` for the next (older) page; null on the last' }),
}, { title: 'VersionList' });

export const VersionPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(VersionNumber({ description: 'list versions older than this number' })),
  },
  { additionalProperties: false },
);

export const SetAliasBody = Type.Object(
  {
    version: VersionNumber(),
    requireBlessing: Type.Optional(
      Type.Boolean({ description: 'also refuse when the version has no completed evaluation (a rejected one is always refused)' }),
    ),
  },
  { title: 'SetAliasBody', additionalProperties: false },
);

export const AliasView = Type.Object({
  alias: Type.String(),
  version: Type.Integer(),
  previousVersion: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  updatedAt: DateTime,
  updatedBy: Type.Union([Type.String(), Type.Null()]),
}, { title: 'AliasView' });

export const AliasList = Type.Object({ items: Type.Array(AliasView) }, { title: 'AliasList' });

export const EvaluationRequestBody = Type.Object(
  {
    dataset: Type.Object({ name: ResourceName, version: VersionNumber() }, { additionalProperties: false }),
    sliceColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    labelColumn: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "the label column (default: the training job's label; required for ONNX models)" }),
    ),
    gate: Type.Optional(Type.Array(GateThresholdSchema, { maxItems: 50 })),
  },
  { title: 'EvaluationRequestBody', additionalProperties: false },
);

export const EvaluationJobView = Type.Object({
  jobId: Uuid,
  status: Type.String(),
  url: Type.String({ description: 'the job: poll it or follow its /events' }),
}, { title: 'EvaluationJobView' });

export const EvaluationView = Type.Object({
  id: Uuid,
  model: Type.String(),
  version: Type.Integer(),
  datasetVersionId: Type.Union([Type.String(), Type.Null()]),
  split: Type.String(),
  status: Type.String(),
  metrics: Type.Record(Type.String(), Type.Number()),
  slices: Type.Unknown(),
  curves: Type.Unknown(),
  featureImportance: Type.Unknown(),
  baselineVersion: Type.Union([Type.Integer(), Type.Null()]),
  baselineVersionId: Type.Union([Type.String(), Type.Null()]),
  comparison: Type.Unknown(),
  gate: Type.Unknown(),
  verdict: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
}, { title: 'EvaluationView' });

export const EvaluationList = Type.Object({ items: Type.Array(EvaluationView) }, { title: 'EvaluationList' });
