// Who is calling, and what their key allows. A platform key (projectId null) with role admin may do
// everything; a project key acts within its project: viewer reads, editor also writes, admin also
// manages the project's keys.
import type { Role } from '@atelier/catalog';
import { Errors } from '../errors.js';

export interface Principal {
  keyId: string;
  role: Role;
  projectId: string | null;
}

export type Permission = 'read' | 'write' | 'admin';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
const NEEDED: Record<Permission, number> = { read: 0, write: 1, admin: 2 };

export function isPlatformAdmin(p: Principal): boolean {
  return p.projectId === null && p.role === 'admin';
}

export function can(p: Principal, permission: Permission, projectId: string): boolean {
  if (p.projectId === null) return RANK[p.role] >= NEEDED[permission];
  return p.projectId === projectId && RANK[p.role] >= NEEDED[permission];
}

const VERB: Record<Permission, string> = { read: 'read', write: 'change', admin: 'administer' };

export function assertCan(p: Principal, permission: Permission, project: { id: string; name: string }): void {
  if (!can(p, permission, project.id)) throw Errors.forbidden(`${VERB[permission]} project '${project.name}' (role: ${p.role})`);
}

export function assertPlatformAdmin(p: Principal, what: string): void {
  if (!isPlatformAdmin(p)) throw Errors.forbidden(what);
}
