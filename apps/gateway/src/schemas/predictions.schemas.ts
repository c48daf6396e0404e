// Predict and rank routes' path parameters; the envelopes are the contracts'. Instances are validated
// against the answering version's signature by the serving node (a 400 naming every bad field).
import { Type } from 'typebox';
import { ResourceName, VersionNumber } from './common.schemas.js';
import { AliasName } from './registry.schemas.js';

export const PredictModelParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const PredictVersionParams = Type.Object(
  { project: ResourceName, name: ResourceName, version: VersionNumber() },
  { additionalProperties: false },
);
export const PredictAliasParams = Type.Object({ project: ResourceName, name: ResourceName, alias: AliasName }, { additionalProperties: false });

// The envelopes live in @atelier/contracts: the serving node validates with the same schemas and limits.
export { PredictRequest as PredictBody, PredictResponse, RankRequest as RankBody, RankResponse } from '@atelier/contracts';
