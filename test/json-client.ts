// A JSON client for tests that drive a real platform over HTTP with Bearer keys, and a poll with a
// deadline (tests never sleep to wait for work). `baseUrl` is read on each call: suites learn the
// platform's URL in beforeAll.
export type Json = Record<string, any>;

export function jsonClient(baseUrl: () => string, defaultKey: string) {
  return async function call(method: string, path: string, body?: unknown, key = defaultKey, contentType = 'application/json'): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };
}

export async function pollUntil<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
