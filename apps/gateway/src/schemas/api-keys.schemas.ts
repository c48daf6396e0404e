import { Type } from 'typebox';
import { DateTime, NullableDateTime, Uuid } from './common.schemas.js';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('viewer')], {
  title: 'Role',
  description: 'viewer reads; editor also writes; admin also manages the project and its keys',
});

export const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: RoleSchema,
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the key stops working; must be in the future' })),
  },
  { title: 'ApiKeyBody', additionalProperties: false },
);

export const ApiKeyView = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({
    description:
      "the key's public start, `atl_<lookupId>`, to recognise it (no secret character); `atl_` for keys made before " +
      'lookup ids existed, empty for an operator-chosen ATELIER_ADMIN_KEY',
  }),
  role: RoleSchema,
  createdAt: DateTime,
  expiresAt: NullableDateTime,
  revokedAt: NullableDateTime,
  lastUsedAt: NullableDateTime,
}, { title: 'ApiKeyView' });

export const CreatedApiKeyView = Type.Object({
  key: ApiKeyView,
  secret: Type.String({ description: 'the API key itself; shown only in this response' }),
}, { title: 'CreatedApiKeyView' });

export const ApiKeyParams = Type.Object({ project: Type.String(), keyId: Uuid }, { additionalProperties: false });
