// The HTTP-facing side of datasets: who may do what in which project, and the audit trail. The rules
// about files, versions and profiles live in @atelier/feature-store's DatasetsService.
import type { Catalog } from '@atelier/catalog';
import type { ArtifactBody } from '@atelier/artifacts';
import {
  DatasetErrors,
  parseDeclaredSchema,
  type DatasetContent,
  type DatasetFileFormat,
  type DatasetPreview,
  type DatasetProfile,
  type DatasetVersionView,
  type DatasetView,
  type DatasetsService,
  type UploadResult,
} from '@atelier/feature-store';
import type { Principal } from '../auth/principal.js';
import type { ProjectsService } from './projects.service.js';

export class DatasetsApiService {
  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    readonly datasets: DatasetsService,
  ) {}

  async create(principal: Principal, projectName: string, input: { name: string; description?: string }): Promise<DatasetView> {
    const project = await this.projects.get(principal, projectName, 'write');
    const dataset = await this.datasets.createDataset(project.id, { ...input, createdBy: principal.keyId });
    await this.audit(principal, project.id, 'dataset.create', dataset.id, { name: dataset.name });
    return dataset;
  }

  async list(principal: Principal, projectName: string, opts: { limit?: number; after?: string }): Promise<DatasetView[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.listDatasets(project.id, opts);
  }

  async get(principal: Principal, projectName: string, name: string): Promise<DatasetView> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.getDataset(project.id, name);
  }

  async upload(
    principal: Principal,
    projectName: string,
    name: string,
    body: ArtifactBody,
    opts: { format: DatasetFileFormat; schemaJson?: string },
  ): Promise<UploadResult> {
    const project = await this.projects.get(principal, projectName, 'write');
    const declaredSchema = opts.schemaJson === undefined ? undefined : parseDeclaredSchema(parseJson(opts.schemaJson), '/query/schema');
    const result = await this.datasets.uploadVersion(project.id, name, body, {
      format: opts.format,
      declaredSchema,
      createdBy: principal.keyId,
    });
    if (result.created) await this.auditVersion(principal, project.id, result);
    return result;
  }

  async register(
    principal: Principal,
    projectName: string,
    name: string,
    input: { sourceVersionId?: string; artifactKey?: string; format?: DatasetFileFormat; schema?: unknown },
  ): Promise<UploadResult> {
    const project = await this.projects.get(principal, projectName, 'write');
    const declaredSchema = input.schema === undefined ? undefined : parseDeclaredSchema(input.schema, '/body/schema');
    const result = await this.datasets.registerFromVersion(project.id, name, {
      sourceVersionId: input.sourceVersionId,
      artifactKey: input.artifactKey,
      format: input.format,
      declaredSchema,
      createdBy: principal.keyId,
    });
    if (result.created) await this.auditVersion(principal, project.id, result);
    return result;
  }

  async listVersions(principal: Principal, projectName: string, name: string, opts: { limit?: number; beforeVersion?: number }): Promise<DatasetVersionView[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.listVersions(project.id, name, opts);
  }

  async getVersion(principal: Principal, projectName: string, name: string, version: number): Promise<DatasetVersionView> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.getVersion(project.id, name, version);
  }

  async profile(principal: Principal, projectName: string, name: string, version: number): Promise<DatasetProfile> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.profile(project.id, name, version);
  }

  async preview(principal: Principal, projectName: string, name: string, version: number, limit: number): Promise<DatasetPreview> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.preview(project.id, name, version, limit);
  }

  async content(principal: Principal, projectName: string, name: string, version: number): Promise<DatasetContent> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.datasets.openContent(project.id, name, version);
  }

  private async auditVersion(principal: Principal, projectId: string, result: UploadResult): Promise<void> {
    const v = result.version;
    await this.audit(principal, projectId, 'dataset.version.create', v.id, {
      dataset: v.dataset,
      version: v.version,
      sha256: v.sha256,
      sizeBytes: v.sizeBytes,
      rowCount: v.rowCount,
    });
  }

  private async audit(principal: Principal, projectId: string, action: string, resourceId: string, details: Record<string, unknown>) {
    await this.catalog.audit.record({
      actorKeyId: principal.keyId,
      projectId,
      action,
      resourceType: action.startsWith('dataset.version') ? 'dataset-version' : 'dataset',
      resourceId,
      details,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw DatasetErrors.badSchema([{ field: '/query/schema', message: 'is not valid JSON (URL-encode a JSON object)' }]);
  }
}
