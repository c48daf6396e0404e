// Loads the PyTorch reference fixtures (packages/engine/fixtures/torch-reference.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

 
export function torchFixtures(): any {
  return JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/torch-reference.json', import.meta.url)), 'utf8'));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
