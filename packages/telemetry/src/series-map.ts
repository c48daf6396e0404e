// The label-values → series map behind the hot-path metrics: the label set is checked once, when a
// series is created; lookups after that are one string key.
export class SeriesMap<L extends string, S> {
  private map = new Map<string, S>();

  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly L[],
  ) {}

  get(labels: Record<L, string>, create: (own: Readonly<Record<string, string>>) => S): S {
    const key = this.key(labels);
    let s = this.map.get(key);
    if (!s) {
      const own: Record<string, string> = {};
      for (const n of this.labelNames) {
        if (typeof labels[n] !== 'string') throw new Error(`${this.metric}: label '${n}' is missing`);
        own[n] = labels[n];
      }
      for (const n of Object.keys(labels)) {
        if (!(this.labelNames as readonly string[]).includes(n)) throw new Error(`${this.metric}: unknown label '${n}'`);
      }
      this.map.set(key, (s = create(own)));
    }
    return s;
  }

  delete(labels: Record<L, string>): void {
    this.map.delete(this.key(labels));
  }

  clear(): void {
    this.map.clear();
  }

  values(): IterableIterator<S> {
    return this.map.values();
  }

  private key(labels: Record<L, string>): string {
    let k = '';
    for (const n of this.labelNames) k += `${labels[n]}\u0000`;
    return k;
  }
}
