export {
  type FeatureSpec,
  type FeatureOptions,
  type MissingRule,
  type NumericTransform,
  type CategoricalTransform,
  validateSpecs,
  needsTrainingValues,
  withDefaultTransform,
  DEFAULT_TRANSFORMS,
  ROBUST_CLIP,
} from './feature-spec.js';
export type { FittedFeature, FeatureState, DenseState, BucketState, VocabularyState, HashState } from './fitted-feature.js';
export { fnv1a32 } from './fnv1a.js';
export { PreprocessingError, type RawColumn, type RawColumns } from './raw-column.js';
export { PreprocessorFitter, fitPreprocessor } from './preprocessor-fitter.js';
export {
  Preprocessor,
  PREPROCESSOR_FORMAT,
  PREPROCESSOR_VERSION,
  type PreprocessorJSON,
  type TransformOutput,
} from './preprocessor.js';
export {
  validateInstances,
  instancesToColumns,
  type SignatureField,
  type FieldError,
  type ValidateOptions,
} from './signature.js';
