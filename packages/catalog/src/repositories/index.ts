// Every repository, built over one Kysely handle: the process-wide instance or a transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { ProjectsRepository } from './projects.repository.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { AuditLogRepository } from './audit-log.repository.js';

export interface Repositories {
  projects: ProjectsRepository;
  apiKeys: ApiKeysRepository;
  audit: AuditLogRepository;
}

export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    projects: new ProjectsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    audit: new AuditLogRepository(db),
  };
}
