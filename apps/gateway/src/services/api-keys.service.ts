// API keys: created with a role, shown once, listed without their secret, revoked for good.
import type { ApiKey, Catalog, Role } from '@atelier/catalog';
import { generateApiKey, hashApiKey } from '../auth/api-key-secret.js';
import { assertPlatformAdmin, type Principal } from '../auth/principal.js';
import type { Authenticator } from '../auth/authenticator.js';
import { Errors } from '../errors.js';
import type { ProjectsService } from './projects.service.js';

export interface CreatedApiKey {
  key: ApiKey;
  /** The secret: returned by the create call only, never stored. */
  secret: string;
}

export class ApiKeysService {
  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    private readonly authenticator: Authenticator,
  ) {}

  async create(
    principal: Principal,
    projectName: string,
    input: { name: string; role: Role; expiresAt?: Date },
  ): Promise<CreatedApiKey> {
    const project = await this.projects.get(principal, projectName, 'admin');
    const generated = generateApiKey();
    const key = await this.catalog.transaction(async (tx) => {
      const created = await tx.apiKeys.create({
        name: input.name,
        role: input.role,
        projectId: project.id,
        prefix: generated.prefix,
        keyHash: generated.hash,
        createdBy: principal.keyId,
        expiresAt: input.expiresAt ?? null,
      });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'api-key.create',
        resourceType: 'api-key',
        resourceId: created.id,
        details: { name: input.name, role: input.role },
      });
      return created;
    });
    return { key, secret: generated.secret };
  }

  async list(principal: Principal, projectName: string, includeRevoked: boolean): Promise<ApiKey[]> {
    const project = await this.projects.get(principal, projectName, 'admin');
    return this.catalog.apiKeys.list(project.id, { includeRevoked });
  }

  async revoke(principal: Principal, projectName: string, keyId: string): Promise<ApiKey> {
    const project = await this.projects.get(principal, projectName, 'admin');
    const existing = await this.catalog.apiKeys.findById(keyId);
    if (!existing || existing.projectId !== project.id) {
      throw Errors.notFound('ATL_API_KEY_NOT_FOUND', `API key '${keyId}' does not exist in project '${projectName}'.`);
    }
    const revoked = await this.catalog.transaction(async (tx) => {
      const key = await tx.apiKeys.revoke(keyId);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'api-key.revoke',
        resourceType: 'api-key',
        resourceId: keyId,
      });
      return key;
    });
    this.authenticator.forget(keyId);
    return revoked;
  }

  /**
   * The platform admin key on first start: ATELIER_ADMIN_KEY when given (registered if new), else a
   * generated one when no active admin exists. Returns the secret only when it was generated now.
   */
  async bootstrapAdmin(configuredSecret: string | undefined): Promise<{ secret?: string; created: boolean }> {
    if (configuredSecret) {
      const hash = hashApiKey(configuredSecret);
      const existing = await this.catalog.apiKeys.findByHash(hash);
      if (existing) return { created: false };
      await this.catalog.apiKeys.create({
        name: 'bootstrap admin (ATELIER_ADMIN_KEY)',
        role: 'admin',
        projectId: null,
        prefix: configuredSecret.slice(0, 12),
        keyHash: hash,
      });
      return { created: true };
    }
    if ((await this.catalog.apiKeys.countActiveAdmins()) > 0) return { created: false };
    const generated = generateApiKey();
    await this.catalog.apiKeys.create({
      name: 'bootstrap admin',
      role: 'admin',
      projectId: null,
      prefix: generated.prefix,
      keyHash: generated.hash,
    });
    return { secret: generated.secret, created: true };
  }

  /** Platform-wide keys (admin only). */
  async listPlatformKeys(principal: Principal): Promise<ApiKey[]> {
    assertPlatformAdmin(principal, 'list platform keys');
    return this.catalog.apiKeys.list(null);
  }
}

