// Reading what the user hands the CLI: `--data JSON|@FILE|-` and spec files in YAML or JSON. Every
// failure is a usage error (exit 2) that names the file or flag and what is wrong with it.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { usage } from './cli-error.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readText(path: string, cwd: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usage(`Cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usage(`${where} is not valid JSON: ${(err as Error).message}.`);
  }
}

/** `--data`: inline JSON, `@path` to a JSON file, or `-` for JSON on stdin. */
export async function readData(arg: string, io: { stdin: NodeJS.ReadableStream; cwd: string }, flag = '--data'): Promise<unknown> {
  if (arg === '-') return parseJson(await readAll(io.stdin), `${flag} (stdin)`);
  if (arg.startsWith('@')) return parseJson(await readText(arg.slice(1), io.cwd, 'the file'), arg.slice(1));
  return parseJson(arg, flag);
}

/** A spec file: YAML (.yaml/.yml) or JSON (.json); another extension is tried as YAML, JSON's superset. */
export async function readSpecFile(path: string, io: { stdin: NodeJS.ReadableStream; cwd: string }): Promise<Record<string, unknown>> {
  const text = path === '-' ? await readAll(io.stdin) : await readText(path, io.cwd, 'the spec file');
  let value: unknown;
  if (extname(path).toLowerCase() === '.json') value = parseJson(text, path);
  else {
    try {
      value = parseYaml(text);
    } catch (err) {
      throw usage(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw usage(`${path} must hold one object (a mapping), not ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** `name:version` (or a bare name with the given default version). */
export function parseNameVersion(arg: string, flag: string): { name: string; version?: number } {
  const m = /^([^:]+)(?::(\d+))?$/.exec(arg);
  if (!m) throw usage(`${flag} takes NAME or NAME:VERSION, got '${arg}'.`);
  return { name: m[1], version: m[2] === undefined ? undefined : Number(m[2]) };
}

/** A positive integer argument (a version number). */
export function parsePositiveInt(arg: string, what: string): number {
  if (!/^\d+$/.test(arg) || Number(arg) < 1) throw usage(`${what} must be a positive integer, got '${arg}'.`);
  return Number(arg);
}

/** `k=v,k2=v2` → an object; values that look like integers become numbers. */
export function parseKeyValues(arg: string, flag: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const part of arg.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw usage(`${flag} takes COLUMN=VALUE[,COLUMN=VALUE…], got '${arg}'.`);
    const v = part.slice(eq + 1);
    out[part.slice(0, eq)] = /^-?\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** Collects a repeatable option's values (commander's reducer). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
