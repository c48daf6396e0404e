import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FeatureViewVersion, MaterializationRun } from '@atelier/catalog';
import type { FeatureStore } from '@atelier/feature-store';
import { PageQuery, ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import {
  FeatureViewBody,
  FeatureViewParams,
  FeatureViewVersionParams,
  FeatureViewVersionView,
  MaterializationRunView,
  MaterializeBody,
} from '../schemas/features.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';

export const viewVersion = (v: FeatureViewVersion) => ({
  id: v.id,
  name: v.name,
  version: v.version,
  entity: v.entityName,
  source: { dataset: v.datasetName, version: v.datasetVersion },
  eventTimestampColumn: v.eventTimestampColumn,
  features: v.features,
  ttlSeconds: v.ttlSeconds,
  description: v.description,
  statistics: v.statistics,
  createdAt: v.createdAt,
});

const runView = (r: MaterializationRun, v: FeatureViewVersion, resumed?: boolean) => ({
  id: r.id,
  featureView: v.name,
  featureViewVersion: v.version,
  mode: r.mode,
  status: r.status,
  datasetVersion: r.datasetVersion,
  startWatermark: r.startWatermark,
  endWatermark: r.endWatermark,
  rowsWritten: r.rowsWritten,
  chunksWritten: r.chunksWritten,
  error: r.error,
  ...(resumed !== undefined && { resumed }),
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

export const featureViewsRoutes: FastifyPluginAsyncTypebox<{ projects: ProjectsService; features: FeatureStore }> = async (
  app,
  { projects, features },
) => {
  app.post(
    '/v1/projects/:project/feature-views',
    {
      schema: {
        tags: ['features'],
        operationId: 'applyFeatureView',
        summary: 'Apply a feature view',
        description:
          'Apply a feature view: checked against the entity and the dataset version; a changed definition makes a new version (201), an unchanged one returns the latest (200)',
        security: bearerSecurity,
        params: ProjectParams,
        body: FeatureViewBody,
        response: withProblems({ 200: { ...FeatureViewVersionView, description: 'Unchanged: the latest version.' }, 201: { ...FeatureViewVersionView, description: 'A new version of the feature view.' } }),
      },
    },
    async (request, reply) => {
      const project = await projects.get(request.principal, request.params.project, 'write');
      const { version, created } = await features.registry.applyFeatureView(project.id, request.body, request.principal.keyId);
      return reply.code(created ? 201 : 200).send(viewVersion(version));
    },
  );

  app.get(
    '/v1/projects/:project/feature-views',
    {
      schema: {
        tags: ['features'],
        operationId: 'listFeatureViews',
        summary: 'List feature views',
        description: 'List feature views (their latest versions)',
        security: bearerSecurity,
        params: ProjectParams,
        querystring: PageQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(FeatureViewVersionView) }, { description: 'Feature views, each at its latest version.' }) }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return { items: (await features.registry.listFeatureViews(project.id, request.query)).map(viewVersion) };
    },
  );

  app.get(
    '/v1/projects/:project/feature-views/:name',
    {
      schema: {
        tags: ['features'],
        operationId: 'getFeatureView',
        summary: 'Get a feature view',
        description: 'The latest version of a feature view',
        security: bearerSecurity,
        params: FeatureViewParams,
        response: withProblems({ 200: { ...FeatureViewVersionView, description: 'The latest version of the feature view.' } }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return viewVersion((await features.registry.getViewVersion(project.id, request.params.name)).version);
    },
  );

  app.get(
    '/v1/projects/:project/feature-views/:name/versions',
    {
      schema: {
        tags: ['features'],
        operationId: 'listFeatureViewVersions',
        summary: 'List feature view versions',
        description: 'Every version of a feature view, newest first',
        security: bearerSecurity,
        params: FeatureViewParams,
        response: withProblems({ 200: Type.Object({ items: Type.Array(FeatureViewVersionView) }, { description: 'Versions, newest first.' }) }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      const items = await features.registry.listViewVersions(project.id, request.params.name);
      if (items.length === 0) await features.registry.getViewVersion(project.id, request.params.name); // 404
      return { items: items.map(viewVersion) };
    },
  );

  app.get(
    '/v1/projects/:project/feature-views/:name/versions/:version',
    {
      schema: {
        tags: ['features'],
        operationId: 'getFeatureViewVersion',
        summary: 'Get a feature view version',
        description: 'One version of a feature view, with its feature statistics',
        security: bearerSecurity,
        params: FeatureViewVersionParams,
        response: withProblems({ 200: { ...FeatureViewVersionView, description: 'The version, with its feature statistics.' } }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return viewVersion((await features.registry.getViewVersion(project.id, request.params.name, request.params.version)).version);
    },
  );

  app.post(
    '/v1/projects/:project/feature-views/:name/materialize',
    {
      schema: {
        tags: ['features'],
        operationId: 'materializeFeatureView',
        summary: 'Materialize a feature view',
        description:
          'Materialize the latest values per entity key into the online store: full, or incremental from the watermark. A failed run resumes where it stopped when called again with the same arguments.',
        security: bearerSecurity,
        params: FeatureViewParams,
        body: Type.Optional(MaterializeBody),
        response: withProblems({ 200: { ...MaterializationRunView, description: 'The finished run: rows read and written, the new watermark.' } }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project, 'write');
      const body = request.body ?? {};
      const { run, view, resumed } = await features.materializer.materialize(
        project.id,
        request.params.name,
        { mode: body.mode ?? 'full', version: body.version, datasetVersion: body.datasetVersion },
        request.principal.keyId,
      );
      return runView(run, view, resumed);
    },
  );

  app.get(
    '/v1/projects/:project/feature-views/:name/versions/:version/materializations',
    {
      schema: {
        tags: ['features'],
        operationId: 'listMaterializations',
        summary: 'List materialization runs',
        description: 'Materialization runs of a feature view version, newest first',
        security: bearerSecurity,
        params: FeatureViewVersionParams,
        response: withProblems({ 200: Type.Object({ items: Type.Array(MaterializationRunView) }, { description: 'Runs, newest first.' }) }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      const { version } = await features.registry.getViewVersion(project.id, request.params.name, request.params.version);
      const runs = await features.registry.listRuns(version.id);
      return { items: runs.map((r) => runView(r, version)) };
    },
  );
};
