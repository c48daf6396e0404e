// The serving node's routing table: (project id, model name) → entry, as two map levels so a predict
// call looks its model up without building a composite key string per request.
export class RoutingTable<E> {
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
