/** @gridflow/engine: the pure core of GridFlow. Explicit public surface; internals are not exported. */
export { UserError, OperationalError, UnexpectedError } from './errors.ts';
export type { ErrorDetail } from './errors.ts';
export { locales, parseLocale, format } from './i18n/localized-text.ts';
export type { Locale, LocalizedText } from './i18n/localized-text.ts';
export { loadPackage } from './definitions/load-package.ts';
export type { SourcePackage, BaseLookup, LoadOptions, LoadResult } from './definitions/load-package.ts';
export type { SourceFile } from './definitions/source-file.ts';
export { formatProblem } from './definitions/problems.ts';
export type { Problem } from './definitions/problems.ts';
export { contentHash, packageToFiles, parseRef } from './definitions/canonical.ts';
export { compareVersions } from './definitions/versions.ts';
export { dataKinds } from './definitions/file-kinds.ts';
export type { DataKindId } from './definitions/file-kinds.ts';
export { diffPackages } from './definitions/diff.ts';
export type { PackageDiff, CollectionDiff } from './definitions/diff.ts';
export type * from './definitions/model.ts';
export { pointInPolygon, pointInGeometry } from './geo/point-in-polygon.ts';
