// Open Inference Protocol v2 (KServe / Triton REST) shapes, as kserve/open-inference-protocol's
// specification/protocol/inference_rest.md defines them, plus Triton's binary tensor data extension
// parameters (binary_data_size, binary_data, binary_data_output). Field names are the protocol's
// (snake_case), not Atelier's.
import { Type, type Static } from 'typebox';
import { Int53, Problem, ResourceName, VersionNumber } from './common.schemas.js';

export const TENSOR_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type TensorDatatype = (typeof TENSOR_DATATYPES)[number];

const Datatype = Type.Union(
  TENSOR_DATATYPES.map((d) => Type.Literal(d)),
  { description: 'tensor element type (the protocol\'s "Tensor Data Types")' },
);
const ParameterValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const TensorName = Type.String({ minLength: 1, maxLength: 200 });
const Shape = Type.Array(Int53({ minimum: 0 }), { maxItems: 8, description: 'the full shape, batch dimension first' });
const TensorData = Type.Unsafe<unknown[]>({
  type: 'array',
  description: 'row-major elements, flat or nested as the shape: numbers, booleans (BOOL) or strings (BYTES)',
});

export const OipModelParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const OipVersionParams = Type.Object({ project: ResourceName, name: ResourceName, version: VersionNumber() }, { additionalProperties: false });
export const OipProjectParams = Type.Object({ project: ResourceName }, { additionalProperties: false });

const RequestInput = Type.Object(
  {
    name: TensorName,
    shape: Shape,
    datatype: Datatype,
    parameters: Type.Optional(
      Type.Object(
        { binary_data_size: Type.Optional(Int53({ minimum: 0, description: 'the tensor is sent as this many bytes after the JSON header' })) },
        { additionalProperties: ParameterValue },
      ),
    ),
    data: Type.Optional(TensorData),
  },
  { additionalProperties: false },
);

const RequestOutput = Type.Object(
  {
    name: TensorName,
    parameters: Type.Optional(
      Type.Object({ binary_data: Type.Optional(Type.Boolean({ description: 'return this output as binary data' })) }, { additionalProperties: ParameterValue }),
    ),
  },
  { additionalProperties: false },
);

export const InferRequest = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 200, description: 'echoed in the response' })),
    // Triton's binary-data example names the model in the body too; accepted, the path decides.
    model_name: Type.Optional(Type.String({ maxLength: 200 })),
    model_version: Type.Optional(Type.String({ maxLength: 20 })),
    parameters: Type.Optional(
      Type.Object(
        { binary_data_output: Type.Optional(Type.Boolean({ description: 'return every output as binary data unless an output says otherwise' })) },
        { additionalProperties: ParameterValue },
      ),
    ),
    inputs: Type.Array(RequestInput, { minItems: 1, maxItems: 4096 }),
    outputs: Type.Optional(Type.Array(RequestOutput, { maxItems: 64 })),
  },
  { additionalProperties: false, description: 'an $inference_request (Open Inference Protocol v2)' },
);
export type InferRequestT = Static<typeof InferRequest>;

const ResponseOutput = Type.Object({
  name: Type.String(),
  shape: Type.Array(Type.Integer()),
  datatype: Type.String(),
  parameters: Type.Optional(Type.Object({ binary_data_size: Type.Optional(Type.Integer()) })),
  data: Type.Optional(Type.Array(Type.Unknown())),
});

export const InferResponse = Type.Object(
  {
    model_name: Type.String(),
    model_version: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
    parameters: Type.Optional(Type.Record(Type.String(), ParameterValue)),
    outputs: Type.Array(ResponseOutput),
  },
  { description: 'an $inference_response; with binary outputs the body is this JSON followed by the tensors (Inference-Header-Content-Length)' },
);
export type InferResponseT = Static<typeof InferResponse>;
export type ResponseOutputT = Static<typeof ResponseOutput>;

const MetadataTensor = Type.Object({ name: Type.String(), datatype: Type.String(), shape: Type.Array(Type.Integer({ description: '-1: any size' })) });
export type MetadataTensorT = Static<typeof MetadataTensor>;

export const ModelMetadata = Type.Object({
  name: Type.String(),
  versions: Type.Array(Type.String(), { description: 'the deployed versions, each callable under /versions/{version}' }),
  platform: Type.String({ description: 'onnx_onnxv1 or atelier_bundle' }),
  inputs: Type.Array(MetadataTensor),
  outputs: Type.Array(MetadataTensor),
});
export type ModelMetadataT = Static<typeof ModelMetadata>;

export const ServerMetadata = Type.Object({ name: Type.String(), version: Type.String(), extensions: Type.Array(Type.String()) });
export const ServerLive = Type.Object({ live: Type.Boolean() });
export const ServerReady = Type.Object({ ready: Type.Boolean() });
export const ModelReady = Type.Object({ name: Type.String(), ready: Type.Boolean() });

/**
 * Errors: RFC 9457 problem+json like every Atelier error, which also carries the protocol's `error`
 * member (what KServe and Triton clients read); a model-ready 503 also says `name` and `ready: false`.
 */
export const OipProblem = Type.Object(
  {
    ...Problem.properties,
    error: Type.String({ description: 'the Open Inference Protocol error member (the same text as detail)' }),
    name: Type.Optional(Type.String()),
    ready: Type.Optional(Type.Boolean()),
  },
  { description: 'RFC 9457 problem details with the Open Inference Protocol `error` member' },
);
