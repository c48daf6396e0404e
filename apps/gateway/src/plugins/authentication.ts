// Every /v1 route requires `Authorization: Bearer <api-key>`; the principal is on `request.principal`.
// Public routes (health, metrics, docs) are outside /v1 and never reach this hook.
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
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
    request.principal = await opts.authenticator.authenticate(request.headers.authorization);
  });
});
