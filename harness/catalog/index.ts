// The line catalog: families, fields, masks, volatile fields and classification.
export { families, familyById, catalogFor, type Family, type FamilyDecl, type FamilyVariant, type FamilyVariantDecl, type SeriesCondition, type Stage } from './families.ts';
export {
  parseFieldValue,
  formatFieldValue,
  formatFieldDelta,
  fieldPath,
  describeFieldMismatch,
  type Field,
  type FieldKind,
  type FieldSpec,
  type FieldValue,
} from './fields.ts';
export { masks, maskFor, parseMasks, masksFile, MaskFileError, type Mask, type MaskFileCode } from './masks.ts';
export { volatileFields, volatileFor, volatilePath, coversVersion, deriveTolerance, type VolatileField } from './volatile.ts';
export {
  classifyLine,
  literalPrefix,
  matchFamily,
  matchFamilyEveryVariant,
  familiesMatchingAnywhere,
  familiesFor,
  familyAnchors,
  variantAnchor,
  suspectLines,
  requireIntactGolden,
  type SuspectLine,
  parseCatalogLine,
  extractCatalogLines,
  windowReport,
  classifyLog,
  coverageOf,
  firmwareRules,
  CatalogBugError,
  type CatalogLine,
  type ClassifiedLog,
  type Classification,
  type FirmwareRule,
  type LineClass,
  type WindowCounts,
  type WindowLine,
  type WindowReport,
} from './classify.ts';
export {
  versionKeys,
  versionKeyOf,
  kernelKeyOfId,
  VersionKeyError,
  type KernelKey,
  type VersionKey,
} from './versions.ts';
