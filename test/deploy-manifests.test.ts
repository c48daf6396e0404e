// The Kubernetes deployment, checked offline (no cluster and no `helm` binary on these machines):
// - deploy/kustomize: each overlay rendered by `kubectl kustomize`, every object validated against the
//   Kubernetes OpenAPI schemas (kubernetes-models; prometheus-operator and KEDA models for their CRDs),
//   then the wiring checked: selectors, ports and probes, env names the apps read, secrets, policies.
// - deploy/helm/atelier: values.yaml against values.schema.json (ajv), every `.Values` path a template
//   reads present in values.yaml, blocks balanced, helpers defined; the dashboard's metrics exported.
// - yamllint over the YAML files (the Helm templates are Go templates, not YAML, and are left out).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const KUSTOMIZE = join(ROOT, 'deploy/kustomize');
const CHART = join(ROOT, 'deploy/helm/atelier');
const OVERLAYS = ['base', 'overlays/gpu', 'overlays/dev', 'overlays/keda', 'overlays/monitoring'];

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
/** A tool these checks need: CI must have it (it is on the image / installed by .ci/run); elsewhere the check is skipped, saying why. */
function requireTool(cmd: string, how: string): boolean {
  if (which(cmd)) return true;
  if (process.env.CI) throw new Error(`${cmd} is required on CI: ${how}`);
  console.warn(`skipping: ${cmd} is not installed (${how})`);
  return false;
}
const haveKubectl = requireTool('kubectl', 'kubectl 1.32 with kustomize is on the machine image');
const haveYamllint = requireTool('yamllint', 'apt-get install -y yamllint');

function render(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE, dir)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject).filter(Boolean);
}

/** The kubernetes-models class of an object's apiVersion/kind. */
async function modelOf(apiVersion: string, kind: string): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const path =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
      : group === 'keda.sh'
        ? `@kubernetes-models/keda/${group}/${version}/${kind}`
        : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  const mod = await import(path);
  return mod[kind] ?? mod.default;
}

const labelsMatch = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const podLabels = (d: K8sObject) => d.spec.template.metadata.labels as Record<string, string>;
const containersOf = (o: K8sObject): any[] => (o.kind === 'Job' || o.kind === 'Deployment' ? o.spec.template.spec.containers : []);

/** Every env var name the platform reads: the strings `env.NAME` / `process.env.NAME` / `'NAME'` in the apps' and packages' sources. */
function settingsTheAppsRead(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/\b(?:env\.|env\[')([A-Z][A-Z0-9_]+)|'([A-Z][A-Z0-9_]{3,})'/g)) names.add(m[1] ?? m[2]!);
      }
    }
  };
  for (const top of ['apps', 'packages']) for (const p of readdirSync(join(ROOT, top))) if (existsSync(join(ROOT, top, p, 'src'))) walk(join(ROOT, top, p, 'src'));
  return names;
}

describe.skipIf(!haveKubectl)('deploy/kustomize (kubectl kustomize → Kubernetes schemas)', () => {
  const rendered = new Map(OVERLAYS.map((dir) => [dir, render(dir)]));

  it.each(OVERLAYS)('%s: every object is valid against its Kubernetes (or CRD) schema', async (dir) => {
    const objects = rendered.get(dir)!;
    expect(objects.length).toBeGreaterThan(10);
    const invalid: string[] = [];
    for (const o of objects) {
      const Model = await modelOf(o.apiVersion, o.kind);
      try {
        new Model(o).validate();
      } catch (err) {
        invalid.push(`${o.kind}/${o.metadata.name}: ${(err as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
  });

  it('the schema check itself refuses a broken object (so the check above can fail)', async () => {
    const gateway = structuredClone(rendered.get('base')!.find((o) => o.kind === 'Deployment' && o.metadata.name === 'atelier-gateway')!);
    gateway.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    const Model = await modelOf('apps/v1', 'Deployment');
    expect(() => new Model(gateway).validate()).toThrow(/containerPort/);
  });

  it.each(OVERLAYS)('%s: Services, HPAs, PDBs and ScaledObjects point at Deployments that exist, selectors match pods', (dir) => {
    const objects = rendered.get(dir)!;
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const names = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const backing = deployments.filter((d) => labelsMatch(svc.spec.selector, podLabels(d)));
      expect(backing.map((d) => d.metadata.name), `Service ${svc.metadata.name}`).toHaveLength(1);
      for (const port of svc.spec.ports) {
        const named = backing[0]!.spec.template.spec.containers.flatMap((c: any) => c.ports).find((p: any) => p.name === port.targetPort || p.containerPort === port.targetPort);
        expect(named, `Service ${svc.metadata.name} targetPort ${port.targetPort}`).toBeTruthy();
      }
    }
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      expect(names.has(`Deployment/${hpa.spec.scaleTargetRef.name}`), `HPA ${hpa.metadata.name}`).toBe(true);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      // An HPA owns the replica count: the Deployment must not also set one (each apply would fight it).
      expect(deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name)!.spec.replicas).toBeUndefined();
    }
    for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
      expect(names.has(`Deployment/${so.spec.scaleTargetRef.name}`)).toBe(true);
      expect(names.has(`HorizontalPodAutoscaler/${so.spec.scaleTargetRef.name}`), 'KEDA owns the HPA: no second one').toBe(false);
    }
    for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
      expect(deployments.filter((d) => labelsMatch(pdb.spec.selector.matchLabels, podLabels(d))), `PDB ${pdb.metadata.name}`).toHaveLength(1);
    }
  });

  it('base: each app runs its own command on its own port, probed on /healthz and /readyz, non-root on a read-only root filesystem', () => {
    const commands = /const COMMANDS[^{]*\{([^}]*)\}/.exec(readFileSync(join(ROOT, 'apps/launcher/src/main.ts'), 'utf8'))![1]!;
    const expected: Record<string, { port: number; env?: string }> = { gateway: { port: 8080, env: 'PORT' }, serving: { port: 8081, env: 'ATELIER_SERVING_PORT' }, orchestrator: { port: 8082, env: 'ATELIER_WORKER_PORT' }, migrate: { port: 0 } };
    const workloads = rendered.get('base')!.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
    expect(workloads.map((w) => w.metadata.name).sort()).toEqual(['atelier-gateway', 'atelier-migrate', 'atelier-orchestrator-cpu', 'atelier-serving-default']);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      const [c] = pod.containers;
      const command = c.args[0] as string;
      expect(command === 'migrate' || new RegExp(`\\b${command}:`).test(commands), `${command} is an atelier-server command`).toBe(true);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      // Writable: the data folder (ATELIER_DATA_DIR in the image) and /tmp, both emptyDir.
      expect(c.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/tmp', '/var/lib/atelier']);
      expect(pod.volumes.every((v: any) => v.emptyDir)).toBe(true);
      const { port, env } = expected[command]!;
      if (port === 0) continue;
      expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
      if (command !== 'gateway') expect(c.env.find((e: any) => e.name === env)?.value).toBe(String(port));
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe.httpGet.path).toBe('/healthz');
    }
    // The gateway proxies predict calls to the serving pool's Service.
    const gateway = workloads.find((w) => w.metadata.name === 'atelier-gateway')!.spec.template.spec.containers[0];
    expect(gateway.env.find((e: any) => e.name === 'ATELIER_SERVING_URL').value).toBe('http://atelier-serving-default:8081');
    const serving = workloads.find((w) => w.metadata.name === 'atelier-serving-default')!.spec.template.spec;
    expect(serving.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels).toEqual(podLabels(workloads.find((w) => w.metadata.name === 'atelier-serving-default')!));
  });

  it('every overlay: the env vars set are settings the apps read, and every secret key referenced is one the dev Secret provides', () => {
    const known = settingsTheAppsRead();
    // Not read through env.X in our sources, but by the image or Node: documented in the Dockerfile.
    for (const name of ['NODE_ENV', 'ATELIER_ONLINE_STORE']) known.add(name);
    const devSecret = rendered.get('overlays/dev')!.find((o) => o.kind === 'Secret' && o.metadata.name === 'atelier-secrets')!;
    const devKeys = new Set(Object.keys(devSecret.data ?? {}));
    for (const [dir, objects] of rendered) {
      const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'atelier-config')!;
      for (const name of Object.keys(configMap.data!)) expect(known.has(name), `${dir}: atelier-config ${name}`).toBe(true);
      for (const c of objects.flatMap(containersOf)) {
        if (!/^atelier:/.test(c.image)) continue;
        for (const e of c.env ?? []) {
          expect(known.has(e.name), `${dir}: ${c.name} sets ${e.name}, which no app reads`).toBe(true);
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) expect(devKeys.has(ref.key), `${dir}: ${c.name} needs secret key ${ref.key}`).toBe(true);
        }
      }
    }
  });

  it('NetworkPolicies: serving nodes admit only the gateways (and the metrics namespace), workers only the metrics namespace', () => {
    const objects = rendered.get('base')!;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const pods = objects.filter((o) => o.kind === 'Deployment');
    const serving = policies.find((p) => labelsMatch(p.spec.podSelector.matchLabels, podLabels(pods.find((d) => d.metadata.name === 'atelier-serving-default')!)))!;
    const peers = serving.spec.ingress.flatMap((r: any) => r.from);
    const podPeers = peers.filter((p: any) => p.podSelector);
    expect(pods.filter((d) => podPeers.some((p: any) => labelsMatch(p.podSelector.matchLabels, podLabels(d)))).map((d) => d.metadata.name)).toEqual(['atelier-gateway']);
    expect(peers.filter((p: any) => !p.podSelector).map((p: any) => p.namespaceSelector.matchLabels)).toEqual([{ 'kubernetes.io/metadata.name': 'monitoring' }]);
    const workers = policies.find((p) => labelsMatch(p.spec.podSelector.matchLabels, podLabels(pods.find((d) => d.metadata.name === 'atelier-orchestrator-cpu')!)))!;
    expect(workers.spec.ingress.flatMap((r: any) => r.from).every((p: any) => p.namespaceSelector && !p.podSelector)).toBe(true);
  });

  it('training pools scale on metrics the orchestrator exports; the GPU pool asks for nvidia.com/gpu on GPU nodes', () => {
    const exported = readFileSync(join(ROOT, 'apps/training-orchestrator/src/training-metrics.ts'), 'utf8');
    for (const [dir, objects] of rendered) {
      for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name.includes('orchestrator'))) {
        for (const m of hpa.spec.metrics) expect(exported, `${dir}: ${m.external.metric.name}`).toContain(`name: '${m.external.metric.name}'`);
      }
      for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
        for (const t of so.spec.triggers) expect(exported).toContain(`name: '${/(atelier_[a-z_]+)/.exec(t.metadata.query)![1]}'`);
      }
    }
    const gpu = rendered.get('overlays/gpu')!.find((o) => o.metadata.name === 'atelier-orchestrator-gpu' && o.kind === 'Deployment')!;
    const pod = gpu.spec.template.spec;
    const c = pod.containers[0];
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(c.env.find((e: any) => e.name === 'ATELIER_WORKER_GPUS').value).toBe('1');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  });
});

describe.skipIf(!haveYamllint)('yamllint', () => {
  it('passes on the kustomize files, the chart metadata and values, and every rendered overlay', () => {
    const config = 'extends: default\nrules:\n  line-length: disable\n  document-start: disable\n  truthy: {check-keys: false}\n  braces: {max-spaces-inside: 1}\n  indentation: {spaces: 2, indent-sequences: whatever}\n';
    const files: string[] = [join(CHART, 'Chart.yaml'), join(CHART, 'values.yaml')];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.yaml')) files.push(join(dir, e.name));
      }
    };
    walk(KUSTOMIZE);
    const lint = spawnSync('yamllint', ['-f', 'parsable', '-d', config, ...files], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    if (haveKubectl) {
      for (const dir of OVERLAYS) {
        const out = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE, dir)], { encoding: 'utf8' });
        const rendered = spawnSync('yamllint', ['-f', 'parsable', '-d', config, '-'], { input: out, encoding: 'utf8' });
        expect(rendered.stdout, dir).toBe('');
      }
    }
  });
});

describe('deploy/helm/atelier', () => {
  const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const withSecret = (v: any) => ({ ...v, secrets: { ...v.secrets, existingSecret: 'atelier-secrets' } });

  it('values.yaml + an existing Secret is valid; the defaults alone are refused until a database is named', () => {
    expect(validate(withSecret(values)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(values)).toBe(false);
    expect(JSON.stringify(validate.errors)).toMatch(/existingSecret|databaseUrl/);
    expect(validate({ ...values, devDependencies: { ...values.devDependencies, enabled: true } })).toBe(true);
  });

  it('the schema refuses bad values, naming each', () => {
    const bad = withSecret(structuredClone(values));
    bad.image.pullPolicy = 'Sometimes';
    bad.orchestrator.pools[0].autoscaling.minReplicas = 0; // a pool at zero exports no queue depth to wake on
    bad.serving.pools[0].name = 'Default Pool';
    bad.gateway.replica = 3; // a typo of replicas
    bad.s3.endpoint = 's3.example.com';
    expect(validate(bad)).toBe(false);
    const paths = validate.errors!.map((e) => `${e.instancePath} ${e.params && 'additionalProperty' in e.params ? e.params.additionalProperty : ''}`.trim());
    for (const p of ['/image/pullPolicy', '/orchestrator/pools/0/autoscaling/minReplicas', '/serving/pools/0/name', '/gateway replica', '/s3/endpoint']) expect(paths).toContain(p);
  });

  const templates = readdirSync(join(CHART, 'templates')).map((f) => ({ file: f, text: readFileSync(join(CHART, 'templates', f), 'utf8') }));

  it('every .Values path a template reads exists in values.yaml (pool fields in every pool)', () => {
    const missing: string[] = [];
    const has = (obj: any, path: string[]) => path.reduce<any>((o, k) => (o !== undefined && o !== null && typeof o === 'object' && k in o ? o[k] : undefined), obj) !== undefined;
    for (const { file, text } of templates) {
      for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
        const path = m[1]!.slice(1).split('.');
        if (!has(values, path)) missing.push(`${file}: .Values.${path.join('.')}`);
      }
      for (const [component, pools] of [['orchestrator', values.orchestrator.pools], ['serving', values.serving.pools]] as const) {
        if (!text.includes(`range $pool := .Values.${component}.pools`)) continue;
        for (const m of text.matchAll(/\$pool((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
          const path = m[1]!.slice(1).split('.');
          for (const pool of pools) if (!has(pool, path)) missing.push(`${file}: $pool.${path.join('.')} in pool ${pool.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('an orchestrator pool takes ATELIER_WORKER_GPUS and its nvidia.com/gpu limit from one value (its gpus)', () => {
    const text = templates.find((t) => t.file === 'orchestrator.yaml')!.text;
    expect(text).toMatch(/name: ATELIER_WORKER_GPUS\n\s+value: \{\{ \$pool\.gpus \| quote \}\}/);
    expect(text).toContain('{{- if gt (int $pool.gpus) 0 }}');
    expect(text).toContain('merge (dict "nvidia.com/gpu" (int $pool.gpus))');
    expect(text).toContain('toYaml $resources');
    expect(values.orchestrator.pools.find((p: any) => p.name === 'gpu').gpus).toBe(1);
    // A second count under resources would drift from gpus.
    for (const pool of values.orchestrator.pools) expect(pool.resources.limits?.['nvidia.com/gpu'], pool.name).toBeUndefined();
  });

  it('template blocks are balanced, every included helper is defined, and hooks run the Secret before the migrations Job', () => {
    const defined = new Set([...templates.flatMap((t) => [...t.text.matchAll(/\{\{-?\s*define "([^"]+)"/g)].map((m) => m[1]))]);
    for (const { file, text } of templates) {
      const opens = [...text.matchAll(/\{\{-?\s*(if|range|with|define)\b/g)].length;
      const ends = [...text.matchAll(/\{\{-?\s*end\s*-?\}\}/g)].length;
      expect(ends, `${file}: {{ end }} for each if/range/with/define`).toBe(opens);
      for (const m of text.matchAll(/include "([^"]+)"/g)) expect(defined.has(m[1]), `${file}: include "${m[1]}"`).toBe(true);
    }
    const hook = (file: string) => templates.find((t) => t.file === file)!.text;
    expect(hook('secret.yaml')).toMatch(/helm.sh\/hook: pre-install,pre-upgrade\n\s+helm.sh\/hook-weight: "-10"/);
    expect(hook('migrations-job.yaml')).toMatch(/helm.sh\/hook: pre-install,pre-upgrade\n\s+helm.sh\/hook-weight: "0"/);
    expect(hook('migrations-job.yaml')).toMatch(/args: \["migrate"\]/);
  });

  it('the chart and the kustomize base ship one dashboard, whose every metric an app registers', () => {
    const chartDashboard = readFileSync(join(CHART, 'dashboards/atelier.json'), 'utf8');
    expect(readFileSync(join(KUSTOMIZE, 'base/dashboard-atelier.json'), 'utf8')).toBe(chartDashboard);
    const dashboard = JSON.parse(chartDashboard);
    const sources = execFileSync('grep', ['-rhoE', "name: '[a-z_]+'", join(ROOT, 'apps'), join(ROOT, 'packages'), '--include=*.ts', '--exclude-dir=node_modules', '--exclude-dir=dist'], { encoding: 'utf8' });
    const registered = new Set([...sources.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]));
    const used = new Set<string>();
    for (const panel of dashboard.panels) for (const t of panel.targets) for (const m of (t.expr as string).matchAll(/\b(atelier_[a-z_]+)/g)) used.add(m[1]!.replace(/_(bucket|count|sum)$/, ''));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((m) => !registered.has(m))).toEqual([]);
  });
});
