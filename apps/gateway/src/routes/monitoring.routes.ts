// Model monitoring of a deployment: drift and online quality per version and window, thresholds,
// alerts, and labels for earlier answers. Viewers read; editors set thresholds and send labels.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { DeploymentParams } from '../schemas/deployments.schemas.js';
import {
  LabelsBody,
  LabelsResult,
  MonitoringAlertList,
  MonitoringAlertsQuery,
  MonitoringQuery,
  MonitoringThresholds,
  MonitoringThresholdsBody,
  MonitoringView,
} from '../schemas/monitoring.schemas.js';
import type { MonitoringService } from '../services/monitoring.service.js';

export const monitoringRoutes: FastifyPluginAsyncTypebox<{ monitoring: MonitoringService }> = async (app, { monitoring }) => {
  const base = '/v1/projects/:project/deployments/:name';

  app.get(
    `${base}/monitoring`,
    {
      schema: {
        tags: ['monitoring'],
        operationId: 'getDeploymentMonitoring',
        summary: 'Drift and online quality of a deployment, per version and time window',
        description:
          'For each version that answered in [from, to) and each window (ATELIER_MONITORING_WINDOW_MS of the serving nodes, ' +
          '5 minutes by default): per monitored feature the counts in the reference bins (from the training dataset’s profile), ' +
          'PSI and Jensen–Shannon distance against training, missing and out-of-range rates; the output distribution’s drift; and, ' +
          'for answers that got labels, online accuracy / AUC / log loss (binary) or RMSE / MAE (regression). ' +
          'At most the newest 20,000 window rows (one per serving node and window) and 200,000 labels of the range are read.',
        security: bearerSecurity,
        params: DeploymentParams,
        querystring: MonitoringQuery,
        response: withProblems({ 200: { ...MonitoringView, description: 'Per version, windows oldest first, with the thresholds in force.' } }),
      },
    },
    async (request) => monitoring.view(request.principal, request.params.project, request.params.name, request.query),
  );

  app.get(
    `${base}/monitoring/thresholds`,
    {
      schema: {
        tags: ['monitoring'],
        operationId: 'getMonitoringThresholds',
        summary: "A deployment's monitoring thresholds",
        description: 'The thresholds that raise alerts (the defaults until set).',
        security: bearerSecurity,
        params: DeploymentParams,
        response: withProblems({ 200: { ...MonitoringThresholds, description: 'The thresholds in force.' } }),
      },
    },
    async (request) => monitoring.getThresholds(request.principal, request.params.project, request.params.name),
  );

  app.put(
    `${base}/monitoring/thresholds`,
    {
      schema: {
        tags: ['monitoring'],
        operationId: 'putMonitoringThresholds',
        summary: "Set a deployment's monitoring thresholds (editor)",
        description:
          'Replaces the thresholds: a field left out takes its default, null turns its check off. The next evaluation ' +
          '(every ATELIER_MONITORING_EVALUATE_MS) judges the latest window of each version with them. Audited.',
        security: bearerSecurity,
        params: DeploymentParams,
        body: { ...MonitoringThresholdsBody, examples: [{ psi: 0.25, js: null, minRows: 500 }] },
        response: withProblems({ 200: { ...MonitoringThresholds, description: 'The thresholds now in force.' } }),
      },
    },
    async (request) => monitoring.putThresholds(request.principal, request.params.project, request.params.name, request.body),
  );

  app.get(
    `${base}/monitoring/alerts`,
    {
      schema: {
        tags: ['monitoring'],
        operationId: 'listMonitoringAlerts',
        summary: "A deployment's monitoring alerts, newest first",
        description:
          'An alert is active while the latest judged window of a version has a check at or over its threshold, and resolved ' +
          'when a later window is under it. Active alerts are also on /metrics (atelier_monitoring_alert_active).',
        security: bearerSecurity,
        params: DeploymentParams,
        querystring: MonitoringAlertsQuery,
        response: withProblems({ 200: { ...MonitoringAlertList, description: 'Alerts, newest first.' } }),
      },
    },
    async (request) => ({ items: await monitoring.alerts(request.principal, request.params.project, request.params.name, request.query) }),
  );

  app.post(
    `${base}/labels`,
    {
      schema: {
        tags: ['monitoring'],
        operationId: 'postDeploymentLabels',
        summary: "Labels for a deployment's earlier answers (editor)",
        description:
          "Joins each label to the answer with that requestId (a predict answer's `requestId`: the one sent, else the " +
          "gateway's x-request-id) and instance index; online metrics of the answer's window include it. At most 10,000 " +
          'labels per request. Labels whose answer is unknown are listed in `unknown`, not refused.',
        security: bearerSecurity,
        params: DeploymentParams,
        body: { ...LabelsBody, examples: [{ labels: [{ requestId: '3f1c2a9b0e41-1a', label: 1 }] }] },
        response: withProblems({ 200: { ...LabelsResult, description: 'How many labels were stored, and which answers were unknown.' } }),
      },
    },
    async (request) => monitoring.labels(request.principal, request.params.project, request.params.name, request.body),
  );
};
