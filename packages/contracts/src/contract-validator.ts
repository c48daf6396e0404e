// Compiled checks of contract shapes for code that is not behind a Fastify route (the orchestrator
// checking a claimed spec): every offending field named, as JSON pointers into the value.
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';

// TypeBox stops collecting errors at 8 by default: a request with one unknown field and a bad model
// kind (7 allowed values, one error each) would lose allowed values. Every bad field is the rule here.
Settings.Set({ maxErrors: Math.max(Settings.Get().maxErrors, 256) });
import { HYPERPARAMETERS_BY_KIND, BatchPredictJobSpec, EvaluateJobSpec, TrainJobSpec, type JobSpec } from './training-job.contract.js';
import { MODEL_KINDS, type ModelKind } from './model-tasks.contract.js';

export interface ContractFieldError {
  /** JSON pointer into the checked value, e.g. `/model/hyperparameters/hiddenUnits/0`. */
  field: string;
  message: string;
}

export type ContractCheck = (value: unknown) => ContractFieldError[];

interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

const BRANCH = /^(.*)\/anyOf\/(\d+)(?:\/|$)/;

/**
 * A tagged union (`{ method: 'random', … } | { method: 'time', … }`) fails every branch; the branches
 * whose tag does not match say nothing useful. When the tag rules out all branches but one, keep only
 * that branch's errors (and drop the union's own summary).
 */
function withoutRuledOutBranches(errors: RawError[]): RawError[] {
  const unions = new Map<string, { instancePath: string; branches: Set<string>; ruledOut: Set<string> }>();
  for (const e of errors) if (e.keyword === 'anyOf') unions.set(e.schemaPath, { instancePath: e.instancePath, branches: new Set(), ruledOut: new Set() });
  for (const e of errors) {
    const m = BRANCH.exec(e.schemaPath);
    const union = m && unions.get(m[1]);
    if (!union) continue;
    union.branches.add(m[2]);
    // A const on a property of the union's value is its tag: that branch is another variant.
    if (e.keyword === 'const' && e.instancePath !== union.instancePath) union.ruledOut.add(m[2]);
  }
  let out = errors;
  for (const [path, union] of unions) {
    const kept = [...union.branches].filter((b) => !union.ruledOut.has(b));
    if (kept.length !== 1 || union.ruledOut.size === 0) continue;
    out = out.filter((e) => {
      if (e.keyword === 'anyOf' && e.schemaPath === path) return false;
      const m = BRANCH.exec(e.schemaPath);
      return !(m && m[1] === path && m[2] !== kept[0]);
    });
  }
  return out;
}

/** Compiles `schema` once; the check answers [] for a valid value, else every bad field (deduplicated). */
export function compileContract(schema: TSchema): ContractCheck {
  const compiled = Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return [];
    const out: ContractFieldError[] = [];
    const allowed = new Map<string, unknown[]>();
    for (const e of withoutRuledOutBranches([...(compiled.Errors(value) as Iterable<RawError>)])) {
      if (e.keyword === 'boolean') continue; // repeated by the additionalProperties error
      if (e.keyword === 'required') for (const p of e.params.requiredProperties as string[]) out.push({ field: `${e.instancePath}/${p}`, message: 'is required' });
      else if (e.keyword === 'additionalProperties') for (const p of e.params.additionalProperties as string[]) out.push({ field: `${e.instancePath}/${p}`, message: 'is not a known field' });
      else if (e.keyword === 'const') allowed.set(e.instancePath, [...(allowed.get(e.instancePath) ?? []), e.params.allowedValue]);
      else if (e.keyword === 'anyOf' && allowed.has(e.instancePath)) continue;
      else out.push({ field: e.instancePath || '/', message: e.message });
    }
    for (const [field, values] of allowed) out.push({ field: field || '/', message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
    const seen = new Set<string>();
    return out.filter((e) => !seen.has(`${e.field}\0${e.message}`) && Boolean(seen.add(`${e.field}\0${e.message}`)));
  };
}

export type JobSpecCheck = { ok: true; spec: JobSpec } | { ok: false; errors: ContractFieldError[] };

/**
 * Checks a stored job spec (training_jobs.spec): a train spec with its kind's hyperparameters, or an
 * evaluate spec. Build once per process and reuse.
 */
export function createJobSpecChecker(): (value: unknown) => JobSpecCheck {
  const train = compileContract(TrainJobSpec);
  const evaluate = compileContract(EvaluateJobSpec);
  const batchPredict = compileContract(BatchPredictJobSpec);
  const hyper = Object.fromEntries(MODEL_KINDS.map((k) => [k, compileContract(HYPERPARAMETERS_BY_KIND[k])])) as Record<ModelKind, ContractCheck>;
  return (value) => {
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    const isEvaluate = type === 'evaluate' || type === 'batch_predict';
    const errors = (type === 'evaluate' ? evaluate : type === 'batch_predict' ? batchPredict : train)(value);
    if (!isEvaluate && errors.length === 0) {
      const model = (value as { model: { kind: ModelKind; hyperparameters?: unknown } }).model;
      errors.push(...hyper[model.kind](model.hyperparameters ?? {}).map((e) => ({ field: `/model/hyperparameters${e.field === '/' ? '' : e.field}`, message: e.message })));
    }
    return errors.length === 0 ? { ok: true, spec: value as JobSpec } : { ok: false, errors };
  };
}
