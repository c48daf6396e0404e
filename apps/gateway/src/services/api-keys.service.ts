// API keys: created with a role, shown once, listed without their secret, revoked for good.
import type { ApiKey, Catalog, Role } from '@atelier/catalog';
import { displayPrefixOf, generateApiKey, hashApiKeySecret, lookupIdOf, verifyApiKeySecret } from '../auth/api-key-secret.js';
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
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw Errors.validation([
        { field: '/body/expiresAt', message: 'is not in the future: give a later time, or leave it out for a key that does not expire' },
      ]);
    }
    const generated = await generateApiKey();
    const key = await this.catalog.transaction(async (tx) => {
      const created = await tx.apiKeys.create({
        name: input.name,
        role: input.role,
        projectId: project.id,
        prefix: generated.prefix,
        lookupId: generated.lookupId,
        secretHash: generated.secretHash,
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
   * The platform admin key on first start: ATELIER_ADMIN_KEY when given (registered if new; the config
   * already refused a weak one), else a generated one when no active admin exists. Returns the secret
   * only when it was generated now.
   */
  async bootstrapAdmin(configuredSecret: string | undefined): Promise<{ secret?: string; created: boolean }> {
    if (configuredSecret) {
      const lookupId = lookupIdOf(configuredSecret);
      const existing = await this.catalog.apiKeys.findCredentials(lookupId);
      if (existing) {
        if (await verifyApiKeySecret(configuredSecret, existing)) return { created: false };
        throw new Error('ATELIER_ADMIN_KEY has the lookup id of another API key: choose another key (e.g. `openssl rand -base64 32`)');
      }
      try {
        await this.catalog.apiKeys.create({
          name: 'bootstrap admin (ATELIER_ADMIN_KEY)',
          role: 'admin',
          projectId: null,
          prefix: displayPrefixOf(configuredSecret),
          lookupId,
          secretHash: await hashApiKeySecret(configuredSecret),
        });
      } catch (err) {
        // Replicas starting together: another one registered the same key first (unique lookup id).
        const winner = await this.catalog.apiKeys.findCredentials(lookupId);
        if (winner && (await verifyApiKeySecret(configuredSecret, winner))) return { created: false };
        throw err;
      }
      return { created: true };
    }
    if ((await this.catalog.apiKeys.countActiveAdmins()) > 0) return { created: false };
    const generated = await generateApiKey();
    await this.catalog.apiKeys.create({
      name: 'bootstrap admin',
      role: 'admin',
      projectId: null,
      prefix: generated.prefix,
      lookupId: generated.lookupId,
      secretHash: generated.secretHash,
    });
    return { secret: generated.secret, created: true };
  }

  /** Platform-wide keys (admin only). */
  async listPlatformKeys(principal: Principal): Promise<ApiKey[]> {
    assertPlatformAdmin(principal, 'list platform keys');
    return this.catalog.apiKeys.list(null);
  }
}

