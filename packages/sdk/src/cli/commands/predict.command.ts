// `atelier predict NAME --data …` and `atelier rank NAME --data …`: online inference through the
// deployment that routes the model (or a named version / alias).
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import { parsePositiveInt, readData } from '../input.js';
import { cell } from '../table.js';

function target(opts: Record<string, any>): { version?: number; alias?: string } {
  if (opts.version && opts.alias) throw usage('Pass --version or --alias, not both.');
  return { ...(opts.version ? { version: parsePositiveInt(opts.version, '--version') } : {}), ...(opts.alias ? { alias: opts.alias } : {}) };
}

export function registerPredict(program: Command, rt: Runtime): void {
  examples(
    program
      .command('predict')
      .argument('<model>')
      .requiredOption('-d, --data <json|@file|->', 'a JSON array of rows, or a predict request {instances|entityKeys,…}; @FILE reads a file, - reads stdin')
      .option('--version <n>', 'call this version (skips the deployment’s routing)')
      .option('--alias <alias>', 'call the version an alias names')
      .description('score rows with the deployed model')
      .action(
        action<[string]>(rt, async (ctx, [model], opts) => {
          const data = await readData(opts.data, ctx.io);
          const body = Array.isArray(data) ? { instances: data } : data;
          if (!body || typeof body !== 'object') throw usage('--data must be a JSON array of rows or an object with "instances" (or "entityKeys").');
          const res: any = await ctx.atl().predict(model, body as any, { ...target(opts), signal: ctx.signal });
          ctx.out.result(res, () => {
            const s = ctx.out.style;
            ctx.out.line(s.dim(`${res.model} v${res.version}${res.deployment ? ` via ${res.deployment}` : ''}`));
            const rows: any[] = (body as any).instances ?? (body as any).entityKeys ?? [];
            const preds: any[] = res.predictions;
            const outputs: string[] = res.outputs ?? ['prediction'];
            const single = preds.every((p) => typeof p !== 'object' || p === null);
            ctx.out.table(
              ['#', 'INPUT', ...(single ? [outputs[0] ?? 'prediction'] : outputs).map((o) => o.toUpperCase())],
              preds.map((p, i) => [String(i), JSON.stringify(rows[i] ?? null), ...(single ? [cell(p)] : outputs.map((o) => cell(p?.[o])))]),
              'No predictions.',
            );
          }, (res.predictions as unknown[]).map((p) => JSON.stringify(p)).join('\n'));
        }),
      ),
    [
      `atelier predict churn --data '[{"age":25,"income":40000,"city":"paris"}]'`,
      'atelier predict churn --data @rows.json --alias staging',
      'cat request.json | atelier predict churn --data - --json',
    ],
  );

  examples(
    program
      .command('rank')
      .argument('<model>')
      .requiredOption('-d, --data <json|@file|->', 'a rank request: {"context":{…},"candidates":[…]}; @FILE or - (stdin)')
      .option('--top-k <k>', 'return only the best k')
      .option('--version <n>')
      .option('--alias <alias>')
      .description('score candidates for one context and return them best first')
      .action(
        action<[string]>(rt, async (ctx, [model], opts) => {
          const data: any = await readData(opts.data, ctx.io);
          if (!data || typeof data !== 'object' || !Array.isArray(data.candidates)) throw usage('--data must be an object with a "candidates" array (and usually a "context").');
          const body = { ...data, ...(opts.topK ? { topK: parsePositiveInt(opts.topK, '--top-k') } : {}) };
          const res: any = await ctx.atl().rank(model, body, { ...target(opts), signal: ctx.signal });
          ctx.out.result(res, () => {
            ctx.out.line(ctx.out.style.dim(`${res.model} v${res.version}${res.deployment ? ` via ${res.deployment}` : ''}`));
            ctx.out.table(
              ['RANK', 'CANDIDATE', 'SCORE', 'FEATURES'],
              res.ranking.map((r: any, i: number) => [String(i + 1), String(r.index), cell(r.score), JSON.stringify(data.candidates[r.index])]),
              'No candidates.',
            );
          }, res.ranking.map((r: any) => r.index).join('\n'));
        }),
      ),
    [`atelier rank recs --data '{"context":{"user_id":"u1"},"candidates":[{"item_id":"a"},{"item_id":"b"}]}' --top-k 1`, 'atelier rank recs --data @request.json --json'],
  );
}
