// Deployments' rules: one model per deployment; every change (create, update, rollback) is a new
// revision with an audit entry in the same transaction, and NOTIFY_CHANNELS.deployments is notified after
// commit so serving nodes reconcile at once (they also reconcile periodically, so a lost
// notification heals itself). Validation collects every bad field before anything is written.
import type { Catalog, Deployment, DeploymentRevision, DeploymentSpec, Model, Project } from '@atelier/catalog';
import { NOTIFY_CHANNELS, type DeploymentNotice } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import type { DeploymentBodyT } from '../schemas/deployments.schemas.js';
import type { ProjectsService } from './projects.service.js';
import { DeploymentStatusReader, type DeploymentStatus } from './deployment-status.js';

export interface DeploymentDetails extends Deployment {
  model: string;
  revision: number;
  spec: DeploymentSpec;
  /** What the serving pool reports (absent in lists). */
  status?: DeploymentStatus;
}

export class DeploymentsService {
  private readonly status: DeploymentStatusReader;

  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
  ) {
    this.status = new DeploymentStatusReader(catalog);
  }

  /**
   * Create the deployment (revision 1) or add a revision to it. `created` says which. With
   * `waitMs`, answers once the serving pool reports the revision ready or failed, or after waitMs.
   */
  async put(
    principal: Principal,
    projectName: string,
    name: string,
    body: DeploymentBodyT,
    opts: { waitMs?: number } = {},
  ): Promise<{ created: boolean; deployment: DeploymentDetails }> {
    const project = await this.projects.get(principal, projectName, 'write');
    const existing = await this.catalog.deployments.findByName(project.id, name);
    const model = await this.catalog.models.findByName(project.id, body.model);
    const errors: FieldError[] = [];
    if (!model) errors.push({ field: '/body/model', message: `model '${body.model}' does not exist in project '${project.name}'` });
    else if (existing && existing.modelId !== model.id) {
      const current = await this.catalog.models.findById(existing.modelId);
      errors.push({ field: '/body/model', message: `deployment '${name}' serves model '${current?.name ?? existing.modelId}'; create another deployment for '${body.model}'` });
    }
    if (model) errors.push(...(await this.validateSpec(model, body)));
    if (errors.length) throw Errors.validation(errors);
    const spec = toSpec(body);
    const result = await this.catalog.transaction(async (tx) => {
      if (!existing) {
        const { deployment, revision } = await tx.deployments.create({ projectId: project.id, name, modelId: model!.id, spec, createdBy: principal.keyId });
        await this.audit(tx, principal, project, 'deployment.create', deployment, revision);
        return { created: true, deployment, revision };
      }
      const revision = await tx.deployments.addRevision(existing.id, spec, principal.keyId);
      await this.audit(tx, principal, project, 'deployment.update', existing, revision);
      return { created: false, deployment: { ...existing, currentRevision: revision.revision, updatedAt: revision.createdAt }, revision };
    });
    await this.notify(result.deployment, result.revision.revision);
    const current = { id: result.deployment.id, currentRevision: result.revision.revision };
    const status = opts.waitMs !== undefined ? await this.status.waitSettled(current, spec, opts.waitMs) : await this.status.status(current, spec);
    return { created: result.created, deployment: { ...result.deployment, model: model!.name, revision: result.revision.revision, spec: result.revision.spec, status } };
  }

  async get(principal: Principal, projectName: string, name: string): Promise<DeploymentDetails> {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    const details = await this.details(deployment);
    return { ...details, status: await this.status.status(deployment, details.spec) };
  }

  /**
   * Reads a deployment's status again on each call (its current revision may change meanwhile); null
   * once it is deleted. Permission and existence are checked once, here.
   */
  async statusSource(principal: Principal, projectName: string, name: string): Promise<{ read(): Promise<DeploymentStatus | null> }> {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    return {
      read: async () => {
        const current = await this.catalog.deployments.findById(deployment.id);
        if (!current) return null;
        return this.status.status(current, await this.catalog.deployments.currentSpec(current.id));
      },
    };
  }

  async list(principal: Principal, projectName: string, opts: { limit: number; after?: string; model?: string }): Promise<DeploymentDetails[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    let modelId: string | undefined;
    if (opts.model) {
      const m = await this.catalog.models.findByName(project.id, opts.model);
      if (!m) return [];
      modelId = m.id;
    }
    const items = await this.catalog.deployments.list(project.id, { limit: opts.limit, after: opts.after, modelId });
    return Promise.all(items.map((d) => this.details(d)));
  }

  async revisions(principal: Principal, projectName: string, name: string, opts: { limit: number; before?: number }): Promise<DeploymentRevision[]> {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    return this.catalog.deployments.listRevisions(deployment.id, { limit: opts.limit, beforeRevision: opts.before });
  }

  /** Make revision `to`'s spec current again, as a new revision (history stays intact). */
  async rollback(principal: Principal, projectName: string, name: string, to: number): Promise<DeploymentDetails> {
    const { project, deployment } = await this.find(principal, projectName, name, 'write');
    const target = await this.catalog.deployments.getRevision(deployment.id, to).catch(() => null);
    if (!target) {
      throw Errors.notFound(
        'ATL_DEPLOYMENT_REVISION_NOT_FOUND',
        `Deployment '${name}' has no revision ${to}. List them with GET /v1/projects/${project.name}/deployments/${name}/revisions.`,
      );
    }
    if (to === deployment.currentRevision) {
      throw Errors.conflict('ATL_DEPLOYMENT_REVISION_CURRENT', `Revision ${to} is already the current revision of '${name}'; nothing to roll back.`);
    }
    const revision = await this.catalog.transaction(async (tx) => {
      const r = await tx.deployments.rollback(deployment.id, to, principal.keyId);
      await this.audit(tx, principal, project, 'deployment.rollback', deployment, r, { from: deployment.currentRevision, to });
      return r;
    });
    await this.notify(deployment, revision.revision);
    const rolled = { ...deployment, currentRevision: revision.revision, updatedAt: revision.createdAt };
    return { ...(await this.details(rolled)), status: await this.status.status(rolled, revision.spec) };
  }

  async delete(principal: Principal, projectName: string, name: string): Promise<void> {
    const { project, deployment } = await this.find(principal, projectName, name, 'write');
    await this.catalog.transaction(async (tx) => {
      await tx.deployments.delete(deployment.id);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'deployment.delete',
        resourceType: 'deployment',
        resourceId: deployment.id,
        details: { name, lastRevision: deployment.currentRevision },
      });
    });
    await this.notify(deployment, null);
  }

  private async find(principal: Principal, projectName: string, name: string, permission: 'read' | 'write'): Promise<{ project: Project; deployment: Deployment }> {
    const project = await this.projects.get(principal, projectName, permission);
    const deployment = await this.catalog.deployments.findByName(project.id, name);
    if (!deployment) {
      throw Errors.notFound(
        'ATL_DEPLOYMENT_NOT_FOUND',
        `Deployment '${name}' does not exist in project '${project.name}'. Create it with PUT /v1/projects/${project.name}/deployments/${name}.`,
      );
    }
    return { project, deployment };
  }

  private async details(d: Deployment): Promise<DeploymentDetails> {
    const [model, spec] = await Promise.all([this.catalog.models.findById(d.modelId), this.catalog.deployments.currentSpec(d.id)]);
    return { ...d, model: model?.name ?? d.modelId, revision: d.currentRevision, spec };
  }

  private async validateSpec(model: Model, body: DeploymentBodyT): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const [versions, aliases] = await Promise.all([
      this.catalog.models.listVersions(model.id, { limit: 100_000 }),
      this.catalog.models.listAliases(model.id),
    ]);
    const versionNumbers = new Set(versions.map((v) => v.version));
    const aliasTo = new Map(aliases.map((a) => [a.alias, a.version]));
    const check = (list: Array<{ version?: number; alias?: string }>, where: string) => {
      const seen = new Map<string, number>();
      list.forEach((ref, i) => {
        const field = `/body/${where}/${i}`;
        if ((ref.version === undefined) === (ref.alias === undefined)) {
          errors.push({ field, message: 'must name exactly one of version or alias' });
          return;
        }
        if (ref.version !== undefined && !versionNumbers.has(ref.version)) {
          errors.push({ field: `${field}/version`, message: `model '${model.name}' has no version ${ref.version}` });
        }
        if (ref.alias !== undefined && !aliasTo.has(ref.alias)) {
          errors.push({ field: `${field}/alias`, message: `model '${model.name}' has no alias '${ref.alias}'` });
        }
        const key = ref.version !== undefined ? `version ${ref.version}` : `alias '${ref.alias}'`;
        if (seen.has(key)) errors.push({ field, message: `${key} is already listed at /body/${where}/${seen.get(key)}` });
        else seen.set(key, i);
      });
    };
    check(body.routes, 'routes');
    check(body.shadows ?? [], 'shadows');
    const sum = body.routes.reduce((a, r) => a + r.weight, 0);
    if (sum !== 100) errors.push({ field: '/body/routes', message: `weights sum to ${sum}; they must sum to 100` });
    const routed = new Set(body.routes.map((r) => (r.version !== undefined ? r.version : aliasTo.get(r.alias ?? ''))));
    (body.shadows ?? []).forEach((s, i) => {
      const v = s.version !== undefined ? s.version : aliasTo.get(s.alias ?? '');
      if (v !== undefined && routed.has(v)) errors.push({ field: `/body/shadows/${i}`, message: `version ${v} already receives routed traffic; a shadow must be another version` });
    });
    const b = body.batching;
    if (b) {
      const maxRows = b.maxBatchRows ?? 64;
      (b.preferredBatchSizes ?? []).forEach((s, i) => {
        if (s > maxRows) errors.push({ field: `/body/batching/preferredBatchSizes/${i}`, message: `must be at most maxBatchRows (${maxRows})` });
      });
      if (b.queueCapacityRows !== undefined && b.queueCapacityRows < maxRows) {
        errors.push({ field: '/body/batching/queueCapacityRows', message: `must be at least maxBatchRows (${maxRows})` });
      }
    }
    return errors;
  }

  private async audit(
    tx: Parameters<Parameters<Catalog['transaction']>[0]>[0],
    principal: Principal,
    project: Project,
    action: string,
    deployment: Deployment,
    revision: DeploymentRevision,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await tx.audit.record({
      actorKeyId: principal.keyId,
      projectId: project.id,
      action,
      resourceType: 'deployment',
      resourceId: deployment.id,
      details: { name: deployment.name, revision: revision.revision, spec: revision.spec, ...extra },
    });
  }

  private async notify(deployment: Deployment, revision: number | null): Promise<void> {
    // After commit: a node that reconciles on this sees the new revision. A failed notify is healed
    // by the nodes' periodic reconcile, so it does not fail the request.
    const notice: DeploymentNotice = { deploymentId: deployment.id, projectId: deployment.projectId, revision };
    await this.catalog.notify(NOTIFY_CHANNELS.deployments, JSON.stringify(notice)).catch(() => {});
  }
}

function toSpec(body: DeploymentBodyT): DeploymentSpec {
  return {
    routes: body.routes.map((r) => ({ ...(r.version !== undefined && { version: r.version }), ...(r.alias !== undefined && { alias: r.alias }), weight: r.weight })),
    shadows: (body.shadows ?? []).map((s) => ({ ...(s.version !== undefined && { version: s.version }), ...(s.alias !== undefined && { alias: s.alias }) })),
    pool: body.pool ?? 'default',
    batching: body.batching ?? {},
    ...(body.replicas !== undefined && { replicas: body.replicas }),
    ...(body.featureViews !== undefined && { featureViews: body.featureViews }),
    ...(body.description !== undefined && { description: body.description }),
  };
}
