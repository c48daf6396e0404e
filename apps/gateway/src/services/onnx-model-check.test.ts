// inspectOnnxModel on its own: the graph ONNX Runtime reports, its reasons for refusing, and that the
// bytes go to the check's thread and its external-data folder does not outlive a check.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalDataModel, reluModel, unknownOperatorModel } from '../../../../test/onnx-bytes.js';
import { inspectOnnxModel, OnnxModelError } from './onnx-model-check.js';

const own = (b: Uint8Array) => new Uint8Array(b); // a copy with an ArrayBuffer of its own, as the check requires

describe('inspectOnnxModel', () => {
  it('returns the graph, having loaded the model on another thread', async () => {
    const bytes = own(readFileSync(new URL('../../../../test/fixtures/tiny-mlp.onnx', import.meta.url)));
    expect(await inspectOnnxModel(bytes)).toEqual({
      inputs: [{ name: 'features', type: 'float32', shape: ['batch', 4] }],
      outputs: [{ name: 'probability', type: 'float32', shape: ['batch', 1] }],
    });
    expect(bytes.byteLength).toBe(0); // transferred to the check's thread, not loaded on this one
  });

  it("refuses with ONNX Runtime's reason and leaves no external-data folder behind", async () => {
    // A temp root of this test's own: other suites' checks make folders in the shared tmpdir meanwhile.
    const root = mkdtempSync(join(tmpdir(), 'atelier-onnx-check-test-'));
    await expect(inspectOnnxModel(own(unknownOperatorModel('Frobnicate')), root)).rejects.toThrow(/No Op registered for Frobnicate/);
    const escaping = inspectOnnxModel(own(externalDataModel('../../../etc/passwd')), root);
    await expect(escaping).rejects.toBeInstanceOf(OnnxModelError);
    await expect(escaping).rejects.toThrow(/escapes model directory.*allowed directory: "<model folder>"/);
    await expect(inspectOnnxModel(new Uint8Array(0), root)).rejects.toThrow('the file is empty');
    expect((await inspectOnnxModel(own(reluModel()), root)).inputs.map((i) => i.name)).toEqual(['x']);
    expect(readdirSync(root)).toEqual([]);
    rmSync(root, { recursive: true });
  });
});
