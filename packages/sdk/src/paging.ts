// List routes page with cursors of three shapes: a `next` field to pass back (projects, models,
// deployments, versions, revisions), or none, where the cursor is the last item's name / version / id
// (datasets, entities, feature views, dataset versions, training jobs) and a short page is the last.
// A Paged<T> hides which: iterate it with `for await`, or collect it with toArray().

export interface Page<T, C> {
  items: T[];
  /** The cursor for the next page; null/undefined when this is the last one. */
  next: C | null | undefined;
}

export class Paged<T> implements AsyncIterable<T> {
  constructor(private readonly pages: () => AsyncGenerator<T[]>) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page;
  }

  /** Every item of every page (mind the size of what you list). */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }

  /** One page at a time, as the server sends them. */
  byPage(): AsyncIterable<T[]> {
    return { [Symbol.asyncIterator]: () => this.pages() };
  }
}

/** Pages while the server returns a cursor. */
export function paged<T, C>(fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>): Paged<T> {
  return new Paged(async function* () {
    let cursor: C | undefined;
    for (;;) {
      const page = await fetchPage(cursor);
      if (page.items.length > 0) yield page.items;
      if (page.next === null || page.next === undefined || page.items.length === 0) return;
      cursor = page.next;
    }
  });
}

/** For routes without `next`: the cursor comes from the last item, and a page shorter than `limit` ends it. */
export function pagedByLastItem<T, C>(limit: number, fetchPage: (cursor: C | undefined, limit: number) => Promise<T[]>, cursorOf: (last: T) => C): Paged<T> {
  return paged<T, C>(async (cursor) => {
    const items = await fetchPage(cursor, limit);
    return { items, next: items.length < limit ? null : cursorOf(items[items.length - 1]) };
  });
}
