import { timeOrderedId } from './time-ordered-id.js';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { EvaluationsTable, EvaluationStatus, EvaluationVerdict } from '../schema/registry.tables.js';
import { json } from '../schema/columns.js';
import { ConflictError, NotFoundError } from '../errors.js';

export interface Evaluation {
  id: string;
  modelVersionId: string;
  datasetVersionId: string | null;
  /** 'holdout' (the training split) or the name of the split of `datasetVersionId` evaluated. */
  split: string;
  status: EvaluationStatus;
  metrics: Record<string, number>;
  slices: unknown;
  curves: unknown;
  featureImportance: unknown;
  baselineVersionId: string | null;
  comparison: unknown;
  gate: unknown;
  verdict: EvaluationVerdict;
  error: string | null;
  createdAt: Date;
}

/** What an evaluation found; every field is written as given (the defaults are empty). */
export interface EvaluationResults {
  metrics: Record<string, number>;
  slices?: unknown;
  curves?: unknown;
  featureImportance?: unknown;
  baselineVersionId?: string | null;
  comparison?: unknown;
  gate?: unknown;
  verdict?: EvaluationVerdict;
}

export type NewEvaluation = {
  modelVersionId: string;
  datasetVersionId?: string | null;
  split: string;
} & ({ status: 'running'; baselineVersionId?: string | null } | ({ status: 'completed' } & EvaluationResults));

const toEvaluation = (r: Selectable<EvaluationsTable>): Evaluation => ({
  id: r.id,
  modelVersionId: r.model_version_id,
  datasetVersionId: r.dataset_version_id,
  split: r.split,
  status: r.status,
  metrics: r.metrics,
  slices: r.slices,
  curves: r.curves,
  featureImportance: r.feature_importance,
  baselineVersionId: r.baseline_version_id,
  comparison: r.comparison,
  gate: r.gate,
  verdict: r.verdict,
  error: r.error,
  createdAt: r.created_at,
});

const resultColumns = (r: EvaluationResults) => ({
  metrics: json(r.metrics),
  slices: json(r.slices ?? {}),
  curves: json(r.curves ?? {}),
  feature_importance: json(r.featureImportance ?? {}),
  comparison: json(r.comparison ?? {}),
  gate: json(r.gate ?? {}),
  verdict: r.verdict ?? ('no_baseline' as const),
});

export class EvaluationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Start an evaluation (`running`, completed later) or record one already computed (`completed`). */
  async create(input: NewEvaluation): Promise<Evaluation> {
    const row = await this.db
      .insertInto('evaluations')
      .values({
        id: timeOrderedId(),
        model_version_id: input.modelVersionId,
        dataset_version_id: input.datasetVersionId ?? null,
        split: input.split,
        status: input.status,
        baseline_version_id: input.baselineVersionId ?? null,
        ...(input.status === 'completed' && resultColumns(input)),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEvaluation(row);
  }

  /** Record the results of a running evaluation; a finished one is refused (evaluations are immutable). */
  async complete(id: string, results: EvaluationResults): Promise<Evaluation> {
    const row = await this.db
      .updateTable('evaluations')
      .set({
        status: 'completed',
        ...resultColumns(results),
        ...(results.baselineVersionId !== undefined && { baseline_version_id: results.baselineVersionId }),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row ? toEvaluation(row) : this.refuseFinished(id);
  }

  async fail(id: string, error: string): Promise<Evaluation> {
    const row = await this.db
      .updateTable('evaluations')
      .set({ status: 'failed', error })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row ? toEvaluation(row) : this.refuseFinished(id);
  }

  private async refuseFinished(id: string): Promise<never> {
    const existing = await this.get(id);
    throw new ConflictError(
      'ATL_EVALUATION_FINISHED',
      `Evaluation ${id} is already ${existing.status}; start a new evaluation to evaluate again.`,
      { id, status: existing.status },
    );
  }

  async findById(id: string): Promise<Evaluation | undefined> {
    const row = await this.db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEvaluation(row);
  }

  async get(id: string): Promise<Evaluation> {
    const found = await this.findById(id);
    if (!found) throw new NotFoundError('evaluation', id);
    return found;
  }

  /** Evaluations of a model version, newest first. */
  async listByVersion(modelVersionId: string, opts: { status?: EvaluationStatus; limit?: number } = {}): Promise<Evaluation[]> {
    let q = this.db
      .selectFrom('evaluations')
      .selectAll()
      .where('model_version_id', '=', modelVersionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.status) q = q.where('status', '=', opts.status);
    return (await q.execute()).map(toEvaluation);
  }

  /**
   * The newest evaluation of a version (of any status unless `status` says; the blessing gate asks for
   * `completed`), optionally of one split.
   */
  async latestByVersion(
    modelVersionId: string,
    opts: { status?: EvaluationStatus; split?: string } = {},
  ): Promise<Evaluation | undefined> {
    let q = this.db
      .selectFrom('evaluations')
      .selectAll()
      .where('model_version_id', '=', modelVersionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.split) q = q.where('split', '=', opts.split);
    const row = await q.executeTakeFirst();
    return row && toEvaluation(row);
  }
}
