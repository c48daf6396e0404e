// Online feature reads: the hot path of the feature store (a serving client calls it per prediction
// batch). Two things differ from the other routes, both for per-read cost:
//   - the body is written by the reader as JSON text (`readJson`: stored value arrays spliced into the
//     response, or with `format: 'compact'` copied into it as they are; no objects built and no
//     schema-driven serializer walking a record of records); the response schema still documents both
//     layouts in the OpenAPI document;
//   - the project lookup (and its permission check) is remembered per caller for a few seconds, as the
//     reader remembers view names, instead of costing a catalog round trip per read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FeatureStore } from '@atelier/feature-store';
import type { Project } from '@atelier/catalog';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { OnlineFeaturesBody, OnlineFeaturesCompactView, OnlineFeaturesView } from '../schemas/features.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';
import type { Principal } from '../auth/principal.js';

export interface OnlineFeaturesRouteOptions {
  projects: ProjectsService;
  features: FeatureStore;
  /** How long a caller's successful project lookup is reused (default 5 s; 0 = every read looks it up). */
  projectCacheTtlMs?: number;
}

export const onlineFeaturesRoutes: FastifyPluginAsyncTypebox<OnlineFeaturesRouteOptions> = async (app, { projects, features, projectCacheTtlMs = 5000 }) => {
  // Keyed by the Principal object the authenticator hands out (the same object while its own cache
  // holds the key): a revoked or re-read key is a new object, so its lookups start over.
  const seen = new WeakMap<Principal, Map<string, { project: Project; expiresAt: number }>>();
  const project = async (principal: Principal, name: string): Promise<Project> => {
    const now = Date.now();
    let mine = seen.get(principal);
    const hit = mine?.get(name);
    if (hit && hit.expiresAt > now) return hit.project;
    const found = await projects.get(principal, name);
    if (projectCacheTtlMs > 0) {
      if (!mine) seen.set(principal, (mine = new Map()));
      if (mine.size >= 100) mine.clear();
      mine.set(name, { project: found, expiresAt: now + projectCacheTtlMs });
    }
    return found;
  };

  app.post(
    '/v1/projects/:project/online-features',
    {
      schema: {
        tags: ['features'],
        summary:
          'Latest feature values for many entity keys across views. Missing keys come back with found:false and null values; values older than the view’s TTL with status expired.',
        security: bearerSecurity,
        params: ProjectParams,
        body: OnlineFeaturesBody,
        response: withProblems({ 200: Type.Union([OnlineFeaturesView, OnlineFeaturesCompactView]) }),
      },
    },
    async (request, reply) => {
      const { id } = await project(request.principal, request.params.project);
      const body = await features.online.readJson(id, request.body, request.body.format);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
};
