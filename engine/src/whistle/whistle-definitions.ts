/**
 * The whistle process of a definitions package is generated from its whistle template
 * (`whistles.yaml`, inherited or overlaid like any data file) when the package is loaded, so the
 * package stays the single source: publishing a changed template publishes the changed process,
 * and it is checked (forms, lint) like every other process of the package.
 */
import type { ProcessSource } from '../definitions/check-processes.ts';
import type { Traced } from '../definitions/overlay.ts';
import type { Problems } from '../definitions/problems.ts';
import { locateResolved } from '../definitions/provenance.ts';
import { validatorFor } from '../definitions/schema-validation.ts';
import { generateWhistleBpmn } from './whistle-bpmn.ts';
import { WHISTLE_PROCESS_PATH } from './whistle-template.ts';
import type { WhistleTemplate } from './whistle-template.ts';

/**
 * Puts the generated process at `processes/whistle.bpmn` of `processes` (the package's own
 * processes, before its base's are added) when the resolved template is valid. A file of the
 * package at that path that differs is replaced, with a warning; an invalid template generates
 * nothing (its schema problems are reported with the other files').
 */
export function addWhistleProcess(
  template: Traced | undefined, processes: Map<string, ProcessSource>, label: (path: string) => string, problems: Problems,
): void {
  if (!template || !validatorFor('whistles.schema.json')(template.value)) return;
  const value = template.value as WhistleTemplate;
  const seen = new Map<string, number>();
  value.kinds.forEach((k, i) => {
    const first = seen.get(k.code);
    if (first !== undefined) {
      problems.error('duplicate', locateResolved(template.prov, `/kinds/${i}/code`), { kind: { 'zh-CN': '吹哨类型', en: 'whistle kind' }, key: k.code, first: `/kinds/${first}` });
    } else seen.set(k.code, i);
  });
  if (seen.size !== value.kinds.length) return;
  const xml = generateWhistleBpmn(value);
  const own = processes.get(WHISTLE_PROCESS_PATH);
  if (own && own.xml !== xml) problems.warn('whistle.processReplaced', { file: own.label });
  processes.set(WHISTLE_PROCESS_PATH, { label: `${label(WHISTLE_PROCESS_PATH)} (${template.prov.origin.file.label})`, xml });
}
