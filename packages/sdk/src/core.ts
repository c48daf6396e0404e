// What every resource shares: the typed openapi-fetch client over the transport, the default project,
// and unwrap(), which turns openapi-fetch's {data | error} into a value or a thrown AtelierError.
import type { Client } from 'openapi-fetch';
import { AtelierError, CLIENT_ERROR_CODES, errorFromResponse } from './atelier-error.js';
import type { paths } from './generated/openapi.js';
import type { CallOptions, SendOptions, Transport } from './transport.js';

export type RawClient = Client<paths>;

export class Core {
  constructor(
    readonly raw: RawClient,
    readonly transport: Transport,
    readonly baseUrl: string,
    readonly defaultProject: string | undefined,
  ) {}

  /** The project a call runs in: its own `project` option, else the client's. */
  project(opts: CallOptions | undefined): string {
    const project = opts?.project ?? this.defaultProject;
    if (!project) {
      throw new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.noProject, title: 'No project', detail: 'pass { project } to the call or `project` to new Atelier()' });
    }
    return project;
  }

  /** The per-call fetch handed to openapi-fetch: the transport with this call's signal, timeout and retry choice. */
  fetch(opts: SendOptions | undefined): (request: Request) => Promise<Response> {
    return (request) => this.transport.send(request, opts ?? {});
  }

  /** Same, as the init fields every generated call takes. */
  init(opts: SendOptions | undefined): { fetch: (request: Request) => Promise<Response> } {
    return { fetch: this.fetch(opts) };
  }
}

interface RawResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer, or the AtelierError of any other. */
export async function unwrap<T>(call: Promise<RawResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFromResponse(response, error === undefined ? '' : typeof error === 'string' ? error : JSON.stringify(error));
  return data as T;
}
