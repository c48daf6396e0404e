// The orchestrator's error kinds: they decide whether a job fails, is retried, or is left alone.

/** The lease moved to another worker (or the job was settled by someone else): stop touching it. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lost the lease on job ${jobId}`);
    this.name = 'LeaseLostError';
  }
}

/** The job cannot succeed on any worker (bad data, divergence…): fail it now with this reason. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}
