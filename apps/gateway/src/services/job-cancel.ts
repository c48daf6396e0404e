// Cancelling a job of the training job table (a training job or a batch prediction): one transaction
// asks for the cancel, ends a queued job at once with its state event, and audits it; a running job's
// worker hears the NOTIFY (and polls, should it be missed).
import type { Catalog, Project, TrainingJob } from '@atelier/catalog';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';

export async function cancelJob(catalog: Catalog, principal: Principal, project: Project, job: TrainingJob, auditAction: string): Promise<TrainingJob> {
  const updated = await catalog.transaction(async (tx) => {
    const after = await tx.trainingJobs.requestCancel(job.id);
    if (job.status === 'queued' && after.status === 'cancelled') {
      await tx.trainingJobs.appendEvent(job.id, 'state', { status: 'cancelled', error: 'cancelled by request' });
    }
    if (job.status === 'queued' || job.status === 'running') {
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: auditAction,
        resourceType: 'training_job',
        resourceId: job.id,
        details: { status: job.status },
      });
    }
    return after;
  });
  if (updated.status === 'running') await catalog.notify(NOTIFY_CHANNELS.trainingCancel, job.id).catch(() => {});
  return updated;
}
