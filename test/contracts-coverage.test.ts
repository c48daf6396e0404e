// The contracts are the one home of each shared shape: the engine's task and kind names are the
// contracts' (the engine imports nothing of ours, so this test keeps them equal), every ATL_* code the
// code base throws is in the catalogue, and the gateway and the serving node use the same schema objects.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannedTask, type CannedTask, type ModelKind as EngineModelKind, type Task as EngineTask } from '../packages/engine/src/index.js';
import {
  CLIENT_CODES,
  ERROR_CODES,
  MODEL_KINDS,
  MODEL_TASKS,
  PROCESS_CODES,
  PredictRequest,
  RankRequest,
  TRAINING_TASKS,
  type ModelKind,
  type ModelTaskName,
  type TrainingTask,
} from '../packages/contracts/src/index.js';
import { PredictBody, RankBody } from '../apps/gateway/src/schemas/predictions.schemas.js';

/** Compiles only when A and B are the same union. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsAgree: Same<ModelKind, EngineModelKind> = true;
const tasksAgree: Same<ModelTaskName, EngineTask> = true;
const trainingTasksAgree: Same<TrainingTask, CannedTask> = true;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !/\.test\.ts$|conformance\.ts$/.test(name) ? [path] : [];
  });
}

describe('contracts coverage', () => {
  it('speaks the engine’s vocabulary of kinds and tasks, with one task per kind', () => {
    expect([kindsAgree, tasksAgree, trainingTasksAgree]).toEqual([true, true, true]);
    for (const kind of MODEL_KINDS) expect(TRAINING_TASKS).toContain(cannedTask(kind));
    expect(cannedTask('two_tower')).toBe('retrieval');
    expect(MODEL_TASKS).toContain('ranking');
  });

  it('catalogues every ATL_* code the code base throws', () => {
    const root = join(import.meta.dirname, '..');
    const thrown = new Set<string>();
    for (const top of ['apps', 'packages']) {
      for (const file of sourceFiles(join(root, top))) for (const m of readFileSync(file, 'utf8').matchAll(/(?<!startsWith\()'(ATL_[A-Z0-9_]+)'/g)) thrown.add(m[1]);
    }
    const known = new Set<string>([...Object.keys(ERROR_CODES), ...PROCESS_CODES, ...CLIENT_CODES]);
    expect([...thrown].filter((c) => !known.has(c)).sort()).toEqual([]);
  });

  it('gives the gateway the same predict and rank schema objects the serving node validates with', () => {
    expect(PredictBody).toBe(PredictRequest);
    expect(RankBody).toBe(RankRequest);
  });
});
