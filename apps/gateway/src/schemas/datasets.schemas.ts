// Datasets over HTTP. Profiles and declared schemas are documented shapes; the service fills them.
import { Type } from 'typebox';
import { DateTime, ResourceName, Uuid, VersionNumber } from './common.schemas.js';

export const DatasetFormatSchema = Type.Union([Type.Literal('csv'), Type.Literal('jsonl'), Type.Literal('parquet')], { title: 'DatasetFormat' });

export const DatasetParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const DatasetVersionParams = Type.Object(
  { project: ResourceName, name: ResourceName, version: VersionNumber() },
  { additionalProperties: false },
);

export const CreateDatasetBody = Type.Object(
  {
    name: ResourceName,
    description: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { title: 'CreateDatasetBody', additionalProperties: false },
);

export const DatasetView = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  createdAt: DateTime,
  createdBy: Type.Union([Uuid, Type.Null()]),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
}, { title: 'DatasetView' });

const LogicalType = Type.Union(
  ['integer', 'float', 'boolean', 'string', 'date', 'timestamp', 'other'].map((t) => Type.Literal(t)),
  { description: 'the column type as Atelier sees it' },
);

export const DeclaredSchemaBody = Type.Object(
  {
    columns: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          type: Type.Optional(Type.Union(['integer', 'float', 'boolean', 'string', 'date', 'timestamp'].map((t) => Type.Literal(t)))),
          notNull: Type.Optional(Type.Boolean()),
          min: Type.Optional(Type.Number()),
          max: Type.Optional(Type.Number()),
          allowedValues: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    strict: Type.Optional(Type.Boolean({ description: 'columns not declared are an error' })),
  },
  { title: 'DeclaredSchemaBody', additionalProperties: false, description: 'declared column types and constraints, checked at upload' },
);

const ColumnSchemaView = Type.Object({
  name: Type.String(),
  type: LogicalType,
  duckdbType: Type.String(),
  nullable: Type.Boolean(),
});

export const VersionSchemaView = Type.Object({
  columns: Type.Array(ColumnSchemaView),
  declared: Type.Optional(Type.Unsafe<unknown>({ description: 'the declared schema of the upload, when there was one' })),
}, { title: 'VersionSchemaView' });

const EvolutionView = Type.Object({
  previousVersion: Type.Union([Type.Integer(), Type.Null()]),
  added: Type.Array(ColumnSchemaView),
  removed: Type.Array(ColumnSchemaView),
  retyped: Type.Array(
    Type.Object({ name: Type.String(), from: LogicalType, to: LogicalType, fromDuckdbType: Type.String(), toDuckdbType: Type.String() }),
  ),
  unchanged: Type.Boolean(),
});

export const DatasetVersionView = Type.Object({
  id: Uuid,
  datasetId: Uuid,
  dataset: Type.String(),
  version: Type.Integer(),
  format: DatasetFormatSchema,
  contentType: Type.String(),
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  rowCount: Type.Integer(),
  schema: VersionSchemaView,
  evolution: EvolutionView,
  lineage: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
  createdBy: Type.Union([Uuid, Type.Null()]),
}, { title: 'DatasetVersionView' });

export const UploadResultView = Type.Object({
  ...DatasetVersionView.properties,
  duplicateOf: Type.Union([Type.Integer(), Type.Null()], {
    description: 'set (with status 200) when these exact bytes already were this version; no new version was made',
  }),
}, { title: 'UploadResultView' });

const Num = Type.Union([Type.Number(), Type.Null()]);
const ValueCount = Type.Object({ value: Type.String(), count: Type.Integer() });

export const ColumnProfileView = Type.Object({
  name: Type.String(),
  type: LogicalType,
  duckdbType: Type.String(),
  count: Type.Integer({ description: 'non-null values' }),
  nullCount: Type.Integer(),
  nullFraction: Type.Number(),
  approxDistinct: Type.Integer(),
  min: Type.Union([Type.Number(), Type.String(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.String(), Type.Null()]),
  mean: Num,
  stddev: Num,
  topValues: Type.Array(ValueCount),
  histogram: Type.Union([
    Type.Object({
      kind: Type.Literal('numeric'),
      bins: Type.Array(Type.Object({ lower: Type.Number(), upper: Type.Number(), count: Type.Integer() })),
      nonFiniteCount: Type.Integer(),
    }),
    Type.Object({ kind: Type.Literal('categorical'), buckets: Type.Array(ValueCount), otherCount: Type.Integer() }),
    Type.Null(),
  ]),
}, { title: 'ColumnProfileView' });

export const DatasetProfileView = Type.Object({
  rowCount: Type.Integer(),
  columnCount: Type.Integer(),
  columns: Type.Array(ColumnProfileView),
  engine: Type.Object({ name: Type.String(), topK: Type.Integer(), histogramBins: Type.Integer() }),
}, { title: 'DatasetProfileView' });

export const PreviewView = Type.Object({
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), duckdbType: Type.String() })),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
}, { title: 'PreviewView' });

export const RegisterVersionBody = Type.Object(
  {
    sourceVersionId: Type.Optional(Uuid),
    artifactKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description: "the content key of a version of this project's datasets (datasets/<datasetId>/sha256/<hash>.<ext>); prefer sourceVersionId",
      }),
    ),
    format: Type.Optional(DatasetFormatSchema),
    schema: Type.Optional(DeclaredSchemaBody),
  },
  {
    title: 'RegisterDatasetVersionBody',
    additionalProperties: false,
    description:
      'make a version from the bytes of an existing version of this project (sourceVersionId or artifactKey, exactly one), checked again ' +
      '(e.g. with a declared schema); bytes of another project, or any other object in the store, are not found',
  },
);

export const UploadQuery = Type.Object(
  {
    format: Type.Optional(DatasetFormatSchema),
    schema: Type.Optional(
      Type.String({ description: 'a declared schema as JSON ({"columns":[{"name":"age","type":"integer","notNull":true,"min":0}]}), URL-encoded' }),
    ),
  },
  { additionalProperties: false },
);

