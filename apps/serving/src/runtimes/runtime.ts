// What the serving node needs from a loaded model version, whatever ran it (ONNX Runtime or the
// engine): its input signature, a batched run, and a release that frees its memory.
import type { ServingFieldError } from '../errors.js';
import type { InputField } from '../input-validation.js';

export interface ModelRuntime {
  readonly format: 'onnx' | 'atelier';
  readonly inputs: InputField[];
  /** Names of the values each row gets back (e.g. ['probability'], or one per class). */
  readonly outputNames: string[];
  /** The model's task when known (binary, multiclass, regression, ranking). */
  readonly task: string | null;
  /** Every bad field of a request's instances ([] when valid). */
  validate(instances: unknown): readonly ServingFieldError[];
  /** One batched forward pass: N validated instances → N × outputNames.length values, row-major. */
  run(instances: Array<Record<string, unknown>>): Promise<Float32Array>;
  /**
   * Feature contributions per validated instance (TreeSHAP: feature → value plus `__bias`, per output
   * name when there are several); absent when the model kind has none.
   */
  explain?(instances: Array<Record<string, unknown>>): Array<Record<string, number> | Record<string, Record<string, number>>>;
  /** Free the session / weights / threads. The runtime is unusable afterwards. */
  release(): Promise<void>;
  readonly released: boolean;
}
