// The container image's rules, checked on the Dockerfile itself (no Docker engine on these machines:
// the image is not built here). Parsed with dockerfile-ast (the parser behind the Docker language
// server), so a syntax error fails too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { SERVER_WORKSPACES } from '../scripts/build.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const froms = dockerfile.getFROMs();
const args = new Map(dockerfile.getARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()]));

/** Instructions of each stage, by stage name. */
function stages(): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const ins of dockerfile.getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      current = [];
      out.set(froms.find((f) => f.getRange().start.line === ins.getRange().start.line)!.getBuildStage()!, current);
    } else current?.push(ins);
  }
  return out;
}
const byStage = stages();
const finalStage = froms[froms.length - 1]!.getBuildStage()!;
const final = byStage.get(finalStage)!;
const of = (instructions: Instruction[], keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);
const content = (i: Instruction) => (i.getArgumentsContent() ?? '').replace(/\\\n/g, ' ');
const fromFlag = (i: Instruction) => /--from=(\S+)/.exec(i.getTextContent())?.[1];
/** The image a FROM names, with ARG defaults substituted. */
const image = (raw: string) => raw.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? '');

describe('Dockerfile', () => {
  it('parses, with no instruction the parser does not know', () => {
    const known = new Set(['ARG', 'FROM', 'RUN', 'WORKDIR', 'ENV', 'COPY', 'LABEL', 'VOLUME', 'USER', 'EXPOSE', 'STOPSIGNAL', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD']);
    const instructions = dockerfile.getInstructions();
    expect(instructions.length).toBeGreaterThan(20);
    expect(instructions.map((i) => i.getKeyword()).filter((k) => !known.has(k))).toEqual([]);
  });

  it('is multi-stage, every base image pinned to an exact version (no latest, no floating major)', () => {
    expect(froms.length).toBeGreaterThanOrEqual(3);
    const stageNames = new Set(froms.map((f) => f.getBuildStage()));
    for (const from of froms) {
      const name = image(from.getImage()!);
      if (stageNames.has(name)) continue; // built on an earlier stage
      const [, tag = ''] = name.split('@')[0]!.split(':');
      expect(name.includes('@sha256:') || /^\d+\.\d+\.\d+/.test(tag), `${name} pins an exact version or a digest`).toBe(true);
    }
  });

  it('runs the final stage as a non-root user with no compiler, no package install and no dev dependencies', () => {
    const users = of(final, 'USER').map(content);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/); // numeric, so Kubernetes' runAsNonRoot can check it
    for (const run of of(final, 'RUN').map(content)) expect(run).not.toMatch(/\b(npm|apt-get|apk|yarn|pnpm|g\+\+|make)\b/);
    // Its node_modules come from the stage that installs production dependencies only, of the server's
    // workspaces; a stage that installed everything (dev too) may hand over build outputs, never node_modules.
    const copies = of(final, 'COPY').filter(fromFlag);
    expect(copies.length).toBeGreaterThan(0);
    let modules = 0;
    for (const copy of copies) {
      const [src] = content(copy).split(/\s+/).filter((p) => !p.startsWith('--'));
      const installs = of(byStage.get(fromFlag(copy)!)!, 'RUN').map(content).filter((r) => /\bnpm (ci|install)\b/.test(r));
      const prodOnly = installs.length > 0 && installs.every((r) => /--omit=dev/.test(r) && /--workspace @atelier\/launcher/.test(r));
      if (src === '/app' || /node_modules/.test(src!)) {
        expect(prodOnly, `${content(copy)}: from a production-only install`).toBe(true);
        modules++;
      } else {
        expect(src, `${content(copy)}: build outputs`).toBe('/out');
      }
    }
    expect(modules).toBe(1);
    expect(of(final, 'ENV').map(content).join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('builds the native addons and the compiled server in build stages, and takes every server workspace dist/ into the image', () => {
    const buildRuns = [...byStage.entries()].filter(([name]) => name !== finalStage).flatMap(([, ins]) => of(ins, 'RUN').map(content)).join('\n');
    expect(buildRuns).toMatch(/npm run build\b/);
    expect(buildRuns).toMatch(/npm run build:console/);
    expect(buildRuns).toMatch(/apt-get install[^\n]*\bg\+\+/); // node-gyp's compiler for engine-cpu
    expect(buildRuns).toMatch(/test -f packages\/engine-cpu\/build\/Release\/atelier_engine_cpu\.node/);
    // The list of workspaces copied out of the build stage is the build script's own list.
    const gathered = /for ws in ([^;]+);/.exec(buildRuns)?.[1]?.split(/\s+/).filter((w) => w && w !== 'do');
    expect(gathered?.sort()).toEqual([...(SERVER_WORKSPACES as string[])].sort());
    expect(buildRuns).toMatch(/migrations\/dist/);
  });

  it('wires health, signals and the one entry point (atelier-server <app>), with writable paths only where the app writes', () => {
    const health = of(final, 'HEALTHCHECK').map(content);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/CMD \["node", "\/app\/deploy\/docker\/healthcheck\.mjs"\]/);
    expect(of(final, 'STOPSIGNAL').map(content)).toEqual(['SIGTERM']);
    expect(of(final, 'ENTRYPOINT').map(content)).toEqual(['["node", "/app/apps/launcher/bin/atelier-server.js"]']);
    expect(of(final, 'CMD').map(content)).toEqual(['["start"]']);
    const env = of(final, 'ENV').map(content).join(' ');
    expect(env).toMatch(/ATELIER_DATA_DIR=\/var\/lib\/atelier/);
    expect(env).toMatch(/ATELIER_CONSOLE_DIR=\/app\/apps\/console\/dist/); // prebuilt: the app never builds into /app
    expect(env).toMatch(/TMPDIR=\/tmp/);
    expect(of(final, 'VOLUME').map(content)).toEqual(['["/var/lib/atelier"]']);
    expect(of(final, 'EXPOSE').map(content)).toEqual(['8080 8081 8082']);
  });

  it('copies only files that exist from the build context, and the context leaves out what the build makes', () => {
    for (const copy of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'COPY' && !fromFlag(i))) {
      const parts = content(copy).split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(join(ROOT, src)), `COPY source ${src}`).toBe(true);
    }
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', 'packages/engine-cpu/build', '.atelier']) expect(ignore).toContain(entry);
  });
});
