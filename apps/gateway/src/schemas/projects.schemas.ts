import { Type } from 'typebox';
import { DateTime, ResourceName, Uuid } from './common.schemas.js';

export const ProjectBody = Type.Object(
  {
    name: ResourceName,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { title: 'ProjectBody', additionalProperties: false },
);

export const ProjectPatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { title: 'ProjectPatch', additionalProperties: false, minProperties: 1 },
);

export const ProjectView = Type.Object({
  id: Uuid,
  name: Type.String(),
  displayName: Type.String(),
  description: Type.String(),
  createdAt: DateTime,
}, { title: 'ProjectView' });

export const ProjectList = Type.Object({ items: Type.Array(ProjectView), next: Type.Union([Type.String(), Type.Null()]) }, { title: 'ProjectList' });
