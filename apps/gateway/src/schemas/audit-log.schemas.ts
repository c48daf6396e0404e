import { Type } from 'typebox';
import { DateTime, Int53, Uuid } from './common.schemas.js';

export const AuditEntryView = Type.Object(
  {
    id: Int53({ minimum: 1, description: 'the entry id; pass the last one back as `before` for the next page' }),
    at: DateTime,
    actor: Type.Union([
      Type.Object({
        keyId: Uuid,
        name: Type.Union([Type.String(), Type.Null()], { description: "the key's name when it belongs to this project; null for a platform key" }),
        prefix: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ], { description: 'the API key that made the change (null for the platform itself)' }),
    action: Type.String({ description: 'what was done, e.g. `api-key.create`, `model-alias.set`' }),
    resourceType: Type.String({ description: 'the kind of resource changed, e.g. `api-key`, `deployment`' }),
    resourceId: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown(), { description: 'what the change was (names, roles, versions); never secrets' }),
  },
  { title: 'AuditEntryView' },
);

export const ListAuditLogQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only entries with this action' })),
    resourceType: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only entries about this kind of resource' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(Int53({ minimum: 1, description: 'cursor: the id of the last entry of the previous page' })),
  },
  { additionalProperties: false },
);
