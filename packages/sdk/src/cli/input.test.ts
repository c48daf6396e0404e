import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeature, epochColumns } from './commands/jobs.command.js';
import { parseGate } from './commands/models.command.js';
import { parseKeyValues, parseNameVersion, readData, readSpecFile } from './input.js';

const dir = mkdtempSync(join(tmpdir(), 'atelier-cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = (stdin = '') => ({ stdin: Readable.from([stdin]), cwd: dir });

describe('CLI input parsing', () => {
  it('--data takes inline JSON, @file and stdin; bad JSON is a usage error naming the source', async () => {
    writeFileSync(join(dir, 'rows.json'), '[{"a":1}]');
    expect(await readData('[{"a":1}]', io())).toEqual([{ a: 1 }]);
    expect(await readData('@rows.json', io())).toEqual([{ a: 1 }]);
    expect(await readData('-', io('{"instances":[]}'))).toEqual({ instances: [] });
    await expect(readData('{nope', io())).rejects.toMatchObject({ code: 'ATL_VALIDATION_FAILED', status: 0, message: expect.stringContaining('--data is not valid JSON') });
    await expect(readData('@missing.json', io())).rejects.toMatchObject({ message: expect.stringContaining('missing.json: no such file') });
  });

  it('spec files are YAML or JSON objects', async () => {
    writeFileSync(join(dir, 'd.yaml'), 'name: live\nroutes:\n  - { alias: production, weight: 100 }\n');
    writeFileSync(join(dir, 'list.yaml'), '- 1\n- 2\n');
    expect(await readSpecFile('d.yaml', io())).toEqual({ name: 'live', routes: [{ alias: 'production', weight: 100 }] });
    await expect(readSpecFile('list.yaml', io())).rejects.toMatchObject({ message: expect.stringContaining('must hold one object') });
  });

  it('flag grammars: NAME:VERSION, col=val, features, gates', () => {
    expect(parseNameVersion('customers:3', '--dataset')).toEqual({ name: 'customers', version: 3 });
    expect(parseNameVersion('customers', '--dataset')).toEqual({ name: 'customers', version: undefined });
    expect(() => parseNameVersion('a:b', '--dataset')).toThrow(/NAME:VERSION/);
    expect(parseKeyValues('user_id=u1,item=42', '--key')).toEqual({ user_id: 'u1', item: 42 });
    expect(parseFeature('city:categorical')).toEqual({ name: 'city', type: 'categorical', transform: 'vocabulary' });
    expect(parseFeature('age')).toEqual({ name: 'age', type: 'numeric', transform: 'standardize' });
    expect(parseGate('auc>=0.7')).toEqual({ metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.7 });
    expect(parseGate('log_loss<=0.5')).toEqual({ metric: 'log_loss', direction: 'lower_is_better', minAbsolute: 0.5 });
    expect(() => parseGate('auc>0.7')).toThrow(/METRIC>=VALUE/);
  });

  it('the per-epoch table keeps the losses and the main validation metrics', () => {
    const first = { epoch: 1, lr: 0.01, steps: 3, trainLoss: 0.5, val_loss: 0.4, val_log_loss: 0.4, val_f1: 0.8, val_auc: 0.9, val_ece: 0.05, val_accuracy: 0.93, val_brier: 0.04, durationMs: 200 };
    expect(epochColumns(first)).toEqual(['trainLoss', 'val_loss', 'val_auc', 'val_accuracy', 'val_f1', 'val_brier']);
    expect(epochColumns({ epoch: 1, trainLoss: 2, val_loss: 1.5, val_rmse: 1.1, val_r2: 0.3 })).toEqual(['trainLoss', 'val_loss', 'val_rmse', 'val_r2']);
  });
});
