// RFC 9457 problem+json bodies, the one shape every Atelier HTTP server answers errors with (the
// gateway's error handler, the serving node's, and the raw answers written before Fastify sees a request).
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemFieldError {
  /** JSON-pointer-like path of the offending field, e.g. `/body/name`. */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** The request target; absent when the request line itself could not be parsed. */
  instance?: string;
  requestId?: string;
  errors?: ProblemFieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const problemTitle = (status: number): string => TITLES[status] ?? 'Error';

export function problemBody(p: Omit<ProblemBody, 'type' | 'title'>): ProblemBody {
  return {
    type: `https://atelier.dev/problems/${p.code.toLowerCase().replace(/_/g, '-')}`,
    title: problemTitle(p.status),
    status: p.status,
    detail: p.detail,
    code: p.code,
    ...(p.instance !== undefined && { instance: p.instance }),
    ...(p.requestId !== undefined && { requestId: p.requestId }),
    ...(p.errors && { errors: p.errors }),
  };
}

/** A coded client error raised at the HTTP edge; both apps' error handlers keep its status and headers. */
export class HttpEdgeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpEdgeError';
  }
}
