// The routing table: where the serving node's two halves meet. The reconciler (control plane) builds
// a new table after each reconcile and hands it over in one assignment; the router (data plane) reads
// it synchronously on every request and never mutates it. Entries are keyed (project id, model name)
// as two map levels so a predict call looks its model up without building a composite key string.
import type { DeploymentSpec } from '@atelier/catalog';
import type { DynamicBatcher } from './dynamic-batcher.js';
import type { ModelRuntime } from './runtimes/runtime.js';
import type { VersionMetrics } from './serving-metrics.js';

export interface BatchItem {
  instances: Array<Record<string, unknown>>;
}

/** A loaded, warm model version with its batcher. */
export interface LoadedVersion {
  id: string;
  projectId: string;
  modelId: string;
  modelName: string;
  version: number;
  sha256: string;
  runtime: ModelRuntime;
  batcher: DynamicBatcher<BatchItem, Float32Array>;
  metrics: VersionMetrics;
  width: number;
  loadedAt: Date;
}

/** One deployment as served: weighted routes (cumulative weights) and shadows, all warm. */
export interface Routing {
  deploymentId: string;
  deployment: string;
  revision: number;
  updatedAt: number;
  spec: DeploymentSpec;
  routes: Array<{ v: LoadedVersion; cumulative: number }>;
  shadows: LoadedVersion[];
  /** versionId per route/shadow ref, what the routing was built from */
  versionIds: string[];
}

export interface ModelEntry {
  projectId: string;
  modelId: string;
  name: string;
  /** Newest deployment first: it routes model-level predict calls. */
  routings: Routing[];
  versions: Map<number, LoadedVersion>;
}

export class RoutingTable<E = ModelEntry> {
  private readonly byProject = new Map<string, Map<string, E>>();

  get(projectId: string, model: string): E | undefined {
    return this.byProject.get(projectId)?.get(model);
  }

  set(projectId: string, model: string, entry: E): void {
    let models = this.byProject.get(projectId);
    if (!models) this.byProject.set(projectId, (models = new Map()));
    models.set(model, entry);
  }

  *values(): IterableIterator<E> {
    for (const models of this.byProject.values()) yield* models.values();
  }
}
