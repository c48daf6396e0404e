// `npm run generate -w @atelier/sdk`: regenerates src/generated/openapi.ts from the live document.
// The document comes from `npm run lint:openapi -- --out FILE` (which starts the platform the way
// `atelier-server start` does and lints the document), so the SDK is generated from exactly what clients
// read. `--out FILE` writes the types elsewhere (the drift test compares that with the committed file).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
export const repositoryRoot = resolve(here, '../../../..');
export const committedTypesFile = resolve(here, '../generated/openapi.ts');

const HEADER = `// GENERATED FILE: do not edit by hand.
// openapi-typescript over the gateway's live OpenAPI document (GET /openapi.json).
// Regenerate with: npm run generate -w @atelier/sdk
// (test/sdk-drift.test.ts fails when this file differs from what the live document generates.)

/** Any JSON value (the document's recursive JsonValue schema, as a type alias TypeScript can recurse through). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

`;

/** Writes the live document to a temp file with the repository's own lint-openapi script and returns it. */
export function fetchLiveDocument(): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-sdk-gen-'));
  try {
    const file = join(dir, 'openapi.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'apps/launcher/src/lint-openapi.ts', '--out', file], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`lint-openapi failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The TypeScript source openapi-typescript makes from a document; same document → same bytes. */
export async function typesFromDocument(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    exportType: false,
    rootTypes: false,
    // A field with a default is optional to send (the server fills it in), so keep it optional.
    defaultNonNullable: false,
    // openapi-typescript inlines the recursive anyOf inside the `components` interface, which TypeScript
    // rejects as circular (TS2502); the alias in the header recurses legally.
    transform: (_schema, options) => (options.path === '#/components/schemas/JsonValue' ? ts.factory.createTypeReferenceNode('JsonValue') : undefined),
  });
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 && process.argv[outIndex + 1] ? resolve(process.argv[outIndex + 1]) : committedTypesFile;
  const source = await typesFromDocument(fetchLiveDocument());
  writeFileSync(out, source);
  console.log(`wrote ${out} (${source.length} bytes)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
