// `npm run bench -- NAME [flags]` runs bench/NAME.bench.ts (e.g. `batch-scoring --rows 1000000`). Each benchmark prints a table and, as its very
// last line, one JSON object with its figures and ratios.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
await import(pathToFileURL(join(here, `${name}.bench.ts`)).href);
