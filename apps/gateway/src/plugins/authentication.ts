// Every /v1 route requires `Authorization: Bearer <api-key>` (grammar: auth/authorization-header.ts);
// the principal is on `request.principal`. Public routes (health, metrics, docs) are outside /v1 and
// never reach this hook. A callback hook, so a cached key (the common case) costs no promise or
// microtask per request.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export const authenticationPlugin = fp(async (app: FastifyInstance, opts: { authenticator: Authenticator }) => {
  const { authenticator } = opts;
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return done();
    const authorization = request.headers.authorization;
    let principal: Principal | undefined;
    try {
      principal = authenticator.cached(authorization);
    } catch (err) {
      return done(err as Error);
    }
    if (principal) {
      request.principal = principal;
      return done();
    }
    authenticator.authenticate(authorization).then((p) => {
      request.principal = p;
      done();
    }, done);
  });
});
