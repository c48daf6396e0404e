import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the millisecond', () => {
    const id = timeOrderedId(Date.UTC(2026, 11, 5));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 5));
  });

  it('sorts in creation order even when thousands are made in the same millisecond', () => {
    const at = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(at));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(timeOrderedId(at - 5) > ids.at(-1)!).toBe(true); // a clock that steps back does not reorder
  });
});
