// The one grammar of the Authorization header on /v1 (RFC 9110 §11.4 with the Bearer scheme of RFC 6750):
//
//   Authorization: Bearer 1*SP <token>        token = 1–256 visible ASCII characters (0x21–0x7E)
//
// The scheme is case-insensitive (`bearer`, `BEARER`); one or more spaces (not tabs) separate it from
// the token; nothing may follow the token. Anything else is a 401 that says which part is wrong.
import { Errors } from '../errors.js';
import { TOKEN_PATTERN } from './api-key-secret.js';

const BEARER = /^bearer +/i;

/** The API key inside `Authorization: Bearer <api-key>`; throws a 401 naming what is wrong. */
export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw Errors.unauthenticated('No API key was sent');
  const scheme = BEARER.exec(authorization);
  if (!scheme) throw Errors.unauthenticated("The Authorization header must start with the scheme 'Bearer' and a space");
  const token = authorization.slice(scheme[0].length);
  if (token === '') throw Errors.unauthenticated("The Authorization header has no API key after 'Bearer '");
  if (!TOKEN_PATTERN.test(token)) {
    throw Errors.unauthenticated(
      'The API key after \'Bearer \' must be one token of at most 256 visible ASCII characters (no spaces, tabs or other text after it)',
    );
  }
  return token;
}
