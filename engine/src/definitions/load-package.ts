/**
 * Loads a definitions package: parses every file, resolves its base (overlay), validates the
 * resolved result against the schemas and across files, and reports every problem found.
 */
import { dataKinds } from './file-kinds.ts';
import type { DataKindId } from './file-kinds.ts';
import type { FormDefinition, Manifest, PackageData, ResolvedPackage } from './model.ts';
import { mergeDocument, reportMarkersWithoutBase } from './overlay.ts';
import type { Traced } from './overlay.ts';
import { Problems, sortProblems } from './problems.ts';
import type { Problem } from './problems.ts';
import { wholeFile } from './provenance.ts';
import type { ProvNode } from './provenance.ts';
import { validateAgainstSchema, validatorFor } from './schema-validation.ts';
import { parseDataFile } from './source-file.ts';
import type { SourceFile, SyntaxProblem } from './source-file.ts';
import { classifyFiles } from './classify-files.ts';
import { runCrossChecks } from './cross-checks.ts';
import { lintProcesses } from './check-bpmn-lint.ts';
import type { FormSource, ProcessSource } from './check-processes.ts';
import { addWhistleProcess } from '../whistle/whistle-definitions.ts';

/** A package as read from a folder, a zip or the database. */
export interface SourcePackage {
  /** Shown in problem reports before each file path (a folder, a zip, or key@version). */
  label: string;
  files: SourceFile[];
}

/** What a base lookup found: an already published package, or a source to resolve first. */
export type BaseLookup = { kind: 'published'; pkg: ResolvedPackage } | { kind: 'source'; source: SourcePackage };

/** Options of loadPackage. */
export interface LoadOptions {
  /** Finds the base package named by `extends`; undefined when it cannot be found. */
  findBase?(key: string, version: string): Promise<BaseLookup | undefined>;
  /** Describes where findBase looked, for the "base not found" message. */
  searchedFor?: string;
  /**
   * Topics bound by the installed plugins. When given, every process is also linted as before a
   * deploy (bpmnlint + GridFlow rules: no scripts or Java, safe expressions, bound topics ...).
   */
  boundTopics?: ReadonlySet<string>;
}

/** Result of loadPackage: the resolved package when there is no error, and every problem. */
export interface LoadResult {
  resolved?: ResolvedPackage;
  /** Base packages that were resolved from sources (not yet published), base first. */
  unpublishedBases: ResolvedPackage[];
  problems: Problem[];
}

/** A package resolved with provenance, before final validation. */
interface TracedPackage {
  manifest: Manifest;
  docs: Partial<Record<DataKindId, Traced>>;
  processes: Map<string, ProcessSource>;
  forms: Map<string, FormSource>;
  unpublishedBases: ResolvedPackage[];
  /** Kinds whose file could not be parsed: not checked across files, to avoid echoes. */
  broken: Set<DataKindId>;
}

/** Loads, resolves and validates a package. Pure apart from the injected base lookup. */
export async function loadPackage(source: SourcePackage, options: LoadOptions = {}): Promise<LoadResult> {
  const problems = new Problems();
  const traced = await tracePackage(source, options, problems, []);
  if (traced) validateResolved(traced, problems);
  if (traced && options.boundTopics) await lintProcesses([...traced.processes.values()], options.boundTopics, problems);
  const list = dedupe(sortProblems(problems.list));
  if (!traced || problems.hasErrors) return { unpublishedBases: traced?.unpublishedBases ?? [], problems: list };
  return { resolved: toResolved(traced), unpublishedBases: traced.unpublishedBases, problems: list };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.file}|${p.pointer}|${p.code}|${p.message.en}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const labelOf = (source: SourcePackage) => (path: string) => (source.label ? `${source.label}/${path}` : path);

async function tracePackage(source: SourcePackage, options: LoadOptions, problems: Problems, chain: string[]): Promise<TracedPackage | undefined> {
  const label = labelOf(source);
  const files = classifyFiles(source.files, label, problems);
  const docs: Partial<Record<DataKindId, Traced>> = {};
  const broken = new Set<DataKindId>(files.ambiguous);
  for (const kind of dataKinds) {
    const file = files.data[kind.id];
    if (!file) continue;
    const { parsed, errors } = parseDataFile(file);
    reportSyntaxErrors(problems, label(file.path), errors);
    if (errors.length > 0) broken.add(kind.id);
    if (parsed) docs[kind.id] = { value: parsed.data, prov: wholeFile({ label: label(file.path), locate: parsed.locate }) };
  }
  const manifestDoc = docs.manifest;
  if (!manifestDoc) {
    if (!files.data.manifest) problems.error('file.manifestMissing', { file: source.label || 'manifest.yaml' });
    return undefined;
  }
  if (!validateAgainstSchema(manifestDoc.value, 'manifest.schema.json', manifestDoc.prov, problems)) return undefined;
  const manifest = manifestDoc.value as Manifest;

  const processes = new Map<string, ProcessSource>(files.processes.map((f) => [f.path, { label: label(f.path), xml: f.text }]));
  const forms = new Map<string, FormSource>();
  for (const f of files.forms) {
    const { parsed, errors } = parseDataFile(f);
    reportSyntaxErrors(problems, label(f.path), errors);
    if (parsed) forms.set(f.path, { label: label(f.path), path: f.path, form: parsed.data as FormDefinition, locate: parsed.locate });
  }

  const base = manifest.extends ? await traceBase(manifest, manifestDoc.prov, options, problems, [...chain, manifest.key]) : undefined;
  // Without its base an overlay cannot be resolved; checking it alone would only report echoes.
  if (manifest.extends && !base) return undefined;
  const unpublishedBases = base?.unpublishedBases ?? [];
  for (const id of base?.broken ?? []) broken.add(id);
  for (const kind of dataKinds) {
    if (kind.id === 'manifest') continue;
    const own = docs[kind.id];
    const inherited = base?.docs[kind.id];
    if (own && manifest.extends) docs[kind.id] = mergeDocument(inherited, own, kind, problems, manifest.extends);
    else if (own) reportMarkersWithoutBase(own, kind, problems);
    else if (inherited) docs[kind.id] = inherited;
  }
  // Generated from the resolved template before the base's processes join: an overlay's template wins.
  addWhistleProcess(docs.whistles, processes, label, problems);
  if (base) {
    for (const [path, p] of base.processes) if (!processes.has(path)) processes.set(path, p);
    for (const [path, f] of base.forms) if (!forms.has(path)) forms.set(path, f);
  }
  return { manifest, docs, processes, forms, unpublishedBases, broken };
}

/** The first syntax error of a file: parsers report one mistake several ways on the lines after it. */
function reportSyntaxErrors(problems: Problems, file: string, errors: SyntaxProblem[]): void {
  const [first] = errors;
  if (first) problems.error('file.syntax', { file, position: first.position }, { detail: first.message });
}

async function traceBase(manifest: Manifest, prov: ProvNode, options: LoadOptions, problems: Problems, chain: string[]): Promise<TracedPackage | undefined> {
  const ref = manifest.extends as string;
  const [key = '', version = ''] = ref.split('@');
  const at = { file: prov.origin.file.label, pointer: '/extends', position: prov.origin.file.locate('/extends') };
  if (chain.includes(key)) {
    problems.error('overlay.cycle', at, { chain: [...chain, key].join(' → ') });
    return undefined;
  }
  const found = options.findBase ? await options.findBase(key, version) : undefined;
  if (!found) {
    problems.error('overlay.baseNotFound', at, { base: ref, searched: options.searchedFor ?? '-' });
    return undefined;
  }
  if (found.kind === 'published') return fromPublished(found.pkg);
  const traced = await tracePackage(found.source, options, problems, chain);
  if (!traced) return traced;
  validateResolved(traced, problems);
  if (!problems.hasErrors) traced.unpublishedBases = [...traced.unpublishedBases, toResolved(traced)];
  return traced;
}

function fromPublished(pkg: ResolvedPackage): TracedPackage {
  const label = `${pkg.manifest.key}@${pkg.manifest.version}`;
  const file = (path: string) => ({ label: `${label}/${path}`, locate: () => undefined });
  const docs: Partial<Record<DataKindId, Traced>> = {};
  for (const kind of dataKinds) {
    const value = kind.id === 'manifest' ? pkg.manifest : pkg.data[kind.id as keyof PackageData];
    if (value !== undefined) docs[kind.id] = { value: structuredClone(value), prov: wholeFile(file(`${kind.basename}.yaml`)) };
  }
  return {
    manifest: pkg.manifest,
    docs,
    processes: new Map(Object.entries(pkg.processes).map(([path, xml]) => [path, { label: file(path).label, xml }])),
    forms: new Map(Object.entries(pkg.forms).map(([path, form]) => [path, { label: file(path).label, path, form, locate: () => undefined }])),
    unpublishedBases: [],
    broken: new Set(),
  };
}

function validateResolved(pkg: TracedPackage, problems: Problems): void {
  const provs: Partial<Record<DataKindId, ProvNode>> = {};
  const invalid = new Set<DataKindId>(pkg.broken);
  for (const kind of dataKinds) {
    const doc = pkg.docs[kind.id];
    if (!doc) continue;
    provs[kind.id] = doc.prov;
    if (!validateAgainstSchema(doc.value, kind.schema, doc.prov, problems)) invalid.add(kind.id);
  }
  const formValidator = validatorFor('form.schema.json');
  for (const f of pkg.forms.values()) {
    validateAgainstSchema(f.form, 'form.schema.json', wholeFile({ label: f.label, locate: f.locate }), problems);
    if (!formValidator(f.form)) pkg.forms.delete(f.path);
  }
  const data = dataOf(pkg);
  for (const id of invalid) delete data[id as keyof PackageData];
  runCrossChecks(pkg.manifest, data, provs, [...pkg.processes.values()], [...pkg.forms.values()], problems, invalid);
}

function dataOf(pkg: TracedPackage): PackageData {
  const data: Record<string, unknown> = {};
  for (const kind of dataKinds) {
    if (kind.id !== 'manifest' && pkg.docs[kind.id]) data[kind.id] = pkg.docs[kind.id]?.value;
  }
  return data as PackageData;
}

function toResolved(pkg: TracedPackage): ResolvedPackage {
  const sortedEntries = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    manifest: pkg.manifest,
    data: dataOf(pkg),
    processes: Object.fromEntries(sortedEntries(pkg.processes).map(([path, p]) => [path, p.xml])),
    forms: Object.fromEntries(sortedEntries(pkg.forms).map(([path, f]) => [path, f.form])),
  };
}
