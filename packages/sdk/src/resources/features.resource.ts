// The feature store: entities, feature views (versioned specs), materialization, point-in-time
// training sets and online reads.
import { type Core, unwrap } from '../core.js';
import { pagedByLastItem, type Paged } from '../paging.js';
import type {
  EntityBody,
  EntityView,
  FeatureViewBody,
  FeatureViewVersionView,
  MaterializationRunView,
  MaterializeBody,
  OnlineFeaturesBody,
  OnlineFeaturesCompactView,
  OnlineFeaturesView,
  TrainingSetBody,
  TrainingSetView,
} from '../schemas.js';
import type { CallOptions } from '../transport.js';
import type { ListOptions } from './projects.resource.js';

export class EntitiesResource {
  constructor(private readonly core: Core) {}

  /** Creates the entity, or answers the existing one when the spec is the same. */
  async create(body: EntityBody, opts?: CallOptions): Promise<EntityView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/entities', { params: { path: { project: this.core.project(opts) } }, body, ...this.core.init(opts) }));
  }

  list(opts?: ListOptions): Paged<EntityView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<EntityView, string>(
      opts?.pageSize ?? 100,
      async (after, limit) => (await unwrap(this.core.raw.GET('/v1/projects/{project}/entities', { params: { path: { project: project() }, query: { limit, after } }, ...this.core.init(opts) }))).items,
      (last) => last.name,
    );
  }

  async get(name: string, opts?: CallOptions): Promise<EntityView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/entities/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }
}

export class FeatureViewsResource {
  constructor(private readonly core: Core) {}

  /** Creates the view or a new version of it (the same spec answers the current version). */
  async apply(spec: FeatureViewBody, opts?: CallOptions): Promise<FeatureViewVersionView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/feature-views', { params: { path: { project: this.core.project(opts) } }, body: spec, ...this.core.init(opts) }));
  }

  /** Feature views, each at its latest version. */
  list(opts?: ListOptions): Paged<FeatureViewVersionView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<FeatureViewVersionView, string>(
      opts?.pageSize ?? 100,
      async (after, limit) => (await unwrap(this.core.raw.GET('/v1/projects/{project}/feature-views', { params: { path: { project: project() }, query: { limit, after } }, ...this.core.init(opts) }))).items,
      (last) => last.name,
    );
  }

  async get(name: string, opts?: CallOptions): Promise<FeatureViewVersionView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/feature-views/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }

  async versions(name: string, opts?: CallOptions): Promise<FeatureViewVersionView[]> {
    const list = await unwrap(this.core.raw.GET('/v1/projects/{project}/feature-views/{name}/versions', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
    return list.items;
  }

  async version(name: string, version: number, opts?: CallOptions): Promise<FeatureViewVersionView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/feature-views/{name}/versions/{version}', { params: { path: { project: this.core.project(opts), name, version } }, ...this.core.init(opts) }),
    );
  }
}

export class FeaturesResource {
  readonly entities: EntitiesResource;
  readonly views: FeatureViewsResource;

  constructor(private readonly core: Core) {
    this.entities = new EntitiesResource(core);
    this.views = new FeatureViewsResource(core);
  }

  /** Loads the view into the online store (full, or incremental from the last watermark). */
  async materialize(view: string, body: MaterializeBody = { mode: 'full' }, opts?: CallOptions): Promise<MaterializationRunView> {
    return unwrap(
      this.core.raw.POST('/v1/projects/{project}/feature-views/{name}/materialize', { params: { path: { project: this.core.project(opts), name: view } }, body, ...this.core.init(opts) }),
    );
  }

  async materializations(view: string, version: number, opts?: CallOptions): Promise<MaterializationRunView[]> {
    const list = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/feature-views/{name}/versions/{version}/materializations', {
        params: { path: { project: this.core.project(opts), name: view, version } },
        ...this.core.init(opts),
      }),
    );
    return list.items;
  }

  /** A point-in-time correct join of labels and feature views, written as a new dataset version. */
  async trainingSet(spec: TrainingSetBody, opts?: CallOptions): Promise<TrainingSetView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/training-sets', { params: { path: { project: this.core.project(opts) } }, body: spec, ...this.core.init(opts) }));
  }

  /** Online values for entity keys. A read: retried like a GET (the POST changes nothing). */
  async online(body: OnlineFeaturesBody & { format?: 'objects' }, opts?: CallOptions): Promise<OnlineFeaturesView>;
  async online(body: OnlineFeaturesBody & { format: 'compact' }, opts?: CallOptions): Promise<OnlineFeaturesCompactView>;
  async online(body: OnlineFeaturesBody, opts?: CallOptions): Promise<OnlineFeaturesView | OnlineFeaturesCompactView> {
    return unwrap(
      this.core.raw.POST('/v1/projects/{project}/online-features', {
        params: { path: { project: this.core.project(opts) } },
        body,
        ...this.core.init({ retryNonIdempotent: true, ...opts }),
      }),
    );
  }
}
