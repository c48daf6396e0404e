// Calls the SDK has no method for yet (the monitoring routes arrived after it was cut) go through its
// typed low-level client, `atl.raw`; a non-2xx answer becomes the same AtelierError the methods throw.
import { AtelierError, type Problem } from '@atelier/sdk';

export async function unwrapRaw<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const p = (error && typeof error === 'object' ? error : {}) as Partial<Problem> & { errors?: Array<{ field: string; message: string }> };
  throw new AtelierError({
    status: response.status,
    code: typeof p.code === 'string' ? p.code : `HTTP_${response.status}`,
    title: typeof p.title === 'string' ? p.title : response.statusText,
    detail: typeof p.detail === 'string' ? p.detail : typeof error === 'string' ? error : undefined,
    errors: Array.isArray(p.errors) ? p.errors : [],
    requestId: response.headers.get('x-request-id') ?? undefined,
    problem: p as Problem,
  });
}
