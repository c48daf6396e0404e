// Feature store shapes: entities, feature views (versioned), materialization runs, training sets and
// online reads.
import { Type } from 'typebox';
import { DateTime, Int32, Int53, NullableDateTime, ResourceName, Uuid, VersionNumber } from './common.schemas.js';

export const FeatureValueTypeSchema = Type.Union(
  [Type.Literal('int'), Type.Literal('float'), Type.Literal('string'), Type.Literal('bool'), Type.Literal('timestamp')],
  { title: 'FeatureValueType', description: 'value type; a join key is int or string' },
);

const ColumnName = Type.String({ minLength: 1, maxLength: 128, description: 'a column of the dataset' });

export const TypedColumnSchema = Type.Object({ name: ColumnName, type: FeatureValueTypeSchema }, { title: 'TypedColumn', additionalProperties: false });

export const EntityBody = Type.Object(
  {
    name: ResourceName,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    joinKeys: Type.Array(TypedColumnSchema, { minItems: 1, maxItems: 8, description: 'key columns, in order' }),
  },
  { title: 'EntityBody', additionalProperties: false },
);

export const EntityView = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  joinKeys: Type.Array(TypedColumnSchema),
  createdAt: DateTime,
}, { title: 'EntityView' });

export const EntityParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });

export const FeatureViewBody = Type.Object(
  {
    name: ResourceName,
    entity: ResourceName,
    source: Type.Object(
      {
        dataset: ResourceName,
        version: Type.Optional(VersionNumber({ description: 'omitted: the latest version now, pinned into this view version' })),
      },
      { additionalProperties: false },
    ),
    eventTimestampColumn: ColumnName,
    features: Type.Array(TypedColumnSchema, { minItems: 1, maxItems: 1000 }),
    ttlSeconds: Int32({ minimum: 0, description: 'values older than event time − ttl count as missing; 0 = never expire' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { title: 'FeatureViewBody', additionalProperties: false },
);

export const FeatureViewVersionView = Type.Object({
  id: Uuid,
  name: Type.String(),
  version: Type.Integer(),
  entity: Type.String(),
  source: Type.Object({ dataset: Type.String(), version: Type.Integer() }),
  eventTimestampColumn: Type.String(),
  features: Type.Array(TypedColumnSchema),
  ttlSeconds: Type.Integer(),
  description: Type.String(),
  statistics: Type.Record(Type.String(), Type.Unknown(), { description: 'per-feature statistics of the source version (drift baseline)' }),
  createdAt: DateTime,
}, { title: 'FeatureViewVersionView' });

export const FeatureViewParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const FeatureViewVersionParams = Type.Object(
  { project: ResourceName, name: ResourceName, version: VersionNumber() },
  { additionalProperties: false },
);

export const MaterializeBody = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('incremental')], { default: 'full' })),
    version: Type.Optional(VersionNumber({ description: 'feature view version; the latest when omitted' })),
    datasetVersion: Type.Optional(VersionNumber({ description: "version of the view's dataset to read; its latest when omitted" })),
  },
  { title: 'MaterializeBody', additionalProperties: false },
);

export const MaterializationRunView = Type.Object({
  id: Uuid,
  featureView: Type.String(),
  featureViewVersion: Type.Integer(),
  mode: Type.Union([Type.Literal('full'), Type.Literal('incremental')]),
  status: Type.Union([Type.Literal('running'), Type.Literal('complete'), Type.Literal('failed')]),
  datasetVersion: Type.Integer(),
  startWatermark: NullableDateTime,
  endWatermark: NullableDateTime,
  rowsWritten: Type.Integer(),
  chunksWritten: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  resumed: Type.Optional(Type.Boolean()),
  startedAt: DateTime,
  finishedAt: NullableDateTime,
}, { title: 'MaterializationRunView' });

export const TrainingSetBody = Type.Object(
  {
    labelDataset: Type.Object(
      { name: ResourceName, version: Type.Optional(VersionNumber({ description: 'the latest when omitted' })) },
      { additionalProperties: false },
    ),
    eventTimestampColumn: ColumnName,
    entity: Type.Optional(ResourceName),
    featureViews: Type.Array(
      Type.Object(
        {
          name: ResourceName,
          version: Type.Optional(VersionNumber()),
          features: Type.Optional(Type.Array(ColumnName, { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    output: Type.Object(
      { dataset: ResourceName, format: Type.Optional(Type.Union([Type.Literal('parquet'), Type.Literal('csv')], { default: 'parquet' })) },
      { additionalProperties: false },
    ),
    fullFeatureNames: Type.Optional(Type.Boolean({ description: 'name output columns view__feature' })),
  },
  { title: 'TrainingSetBody', additionalProperties: false },
);

export const TrainingSetView = Type.Object({
  dataset: Type.String(),
  version: Type.Integer(),
  versionId: Uuid,
  format: Type.String(),
  rowCount: Type.Integer(),
  sha256: Type.String(),
  lineage: Type.Record(Type.String(), Type.Unknown()),
}, { title: 'TrainingSetView' });

export const OnlineFeaturesBody = Type.Object(
  {
    featureViews: Type.Array(Type.String({ description: "'name' (latest version) or 'name@version'" }), { minItems: 1, maxItems: 50 }),
    entityKeys: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Int53()])), {
      description: 'one object per entity, mapping join-key columns to values; at most 1,000 per call',
    }),
    format: Type.Optional(
      Type.Union([Type.Literal('objects'), Type.Literal('compact')], {
        description:
          "'objects' (default): one result per key, values as {feature: value}. 'compact': per view, arrays aligned with entityKeys, each key's values an array in the view's feature order (about 2.5× smaller for 20 features)",
      }),
    ),
  },
  { title: 'OnlineFeaturesBody', additionalProperties: false },
);

const OnlineFeatureViewInfo = Type.Object({ name: Type.String(), version: Type.Integer(), ttlSeconds: Type.Integer(), features: Type.Array(Type.String()) });
const OnlineStatus = Type.Union([Type.Literal('present'), Type.Literal('missing'), Type.Literal('expired')]);

export const OnlineFeaturesCompactView = Type.Object(
  {
    format: Type.Literal('compact'),
    featureViews: Type.Array(OnlineFeatureViewInfo),
    found: Type.Array(Type.Boolean(), { description: "per entity key, in request order: every view had fresh values" }),
    views: Type.Array(
      Type.Object({
        status: Type.Array(OnlineStatus),
        eventTimestamps: Type.Array(Type.Union([Type.String(), Type.Null()])),
        values: Type.Array(Type.Union([Type.Array(Type.Unknown()), Type.Null()]), { description: "the view's features in order; null when not present" }),
      }),
      { description: 'one per feature view, in featureViews order; each array has one entry per entity key' },
    ),
  },
  { title: 'OnlineFeaturesCompactView', description: "the 'compact' format" },
);

export const OnlineFeaturesView = Type.Object({
  featureViews: Type.Array(OnlineFeatureViewInfo),
  results: Type.Array(
    Type.Object({
      entityKey: Type.Record(Type.String(), Type.Unknown()),
      found: Type.Boolean({ description: 'every view had fresh values for this key' }),
      features: Type.Record(
        Type.String(),
        Type.Object({
          found: Type.Boolean(),
          status: OnlineStatus,
          eventTimestamp: Type.Union([Type.String(), Type.Null()]),
          values: Type.Record(Type.String(), Type.Unknown()),
        }),
      ),
    }),
  ),
}, { title: 'OnlineFeaturesView' });
