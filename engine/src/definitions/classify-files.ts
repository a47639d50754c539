/** Sorts the files of a package into data kinds, processes and forms. */
import { dataKinds, formSuffix, formsFolder, processesFolder } from './file-kinds.ts';
import type { DataKindId } from './file-kinds.ts';
import type { Problems } from './problems.ts';
import type { SourceFile } from './source-file.ts';

/** The files of a package by role. */
export interface ClassifiedFiles {
  data: Partial<Record<DataKindId, SourceFile>>;
  processes: SourceFile[];
  forms: SourceFile[];
  /** Kinds with more than one file: none of them is used. */
  ambiguous: DataKindId[];
}

const ignored = (path: string) => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.startsWith('.') || /^readme(\.\w+)?$/i.test(name) || /^license/i.test(name);
};

/** Classifies files; unknown files are warnings, two files of one kind an error. */
export function classifyFiles(files: SourceFile[], label: (path: string) => string, problems: Problems): ClassifiedFiles {
  const result: ClassifiedFiles = { data: {}, processes: [], forms: [], ambiguous: [] };
  const seen = new Map<DataKindId, SourceFile[]>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (ignored(file.path)) continue;
    if (file.path.startsWith(processesFolder) && file.path.endsWith('.bpmn')) {
      result.processes.push(file);
      continue;
    }
    if (file.path.startsWith(formsFolder) && file.path.endsWith(formSuffix)) {
      result.forms.push(file);
      continue;
    }
    const kind = dataKinds.find((k) => k.extensions.some((ext) => file.path === k.basename + ext));
    if (!kind) {
      problems.warn('file.unknown', { file: label(file.path) });
      continue;
    }
    seen.set(kind.id, [...(seen.get(kind.id) ?? []), file]);
  }
  for (const [id, list] of seen) {
    if (list.length > 1) {
      problems.error('file.ambiguous', { file: label((list[1] as SourceFile).path) }, { files: list.map((f) => f.path).join(', ') });
      result.ambiguous.push(id);
    } else {
      result.data[id] = list[0];
    }
  }
  return result;
}
