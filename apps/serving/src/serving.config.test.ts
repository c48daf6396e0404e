// ATELIER_ENGINE_RUNTIME: how engine bundles compute (their ONNX export by default), a bad value named.
import { describe, expect, it } from 'vitest';
import { servingConfigFromEnv } from './serving.config.js';

describe('ATELIER_ENGINE_RUNTIME', () => {
  it("defaults to 'onnx', takes 'engine', and refuses anything else by name", () => {
    expect(servingConfigFromEnv({}).engineRuntime).toBe('onnx');
    expect(servingConfigFromEnv({ ATELIER_ENGINE_RUNTIME: 'engine' }).engineRuntime).toBe('engine');
    expect(() => servingConfigFromEnv({ ATELIER_ENGINE_RUNTIME: 'tfjs' })).toThrow(/ATELIER_ENGINE_RUNTIME must be 'onnx' or 'engine', got "tfjs"/);
  });
});
