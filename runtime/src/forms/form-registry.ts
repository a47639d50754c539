/**
 * Published form versions, compiled once. A form version is immutable once published, so a task
 * bound to `event-report:v1` is validated against version 1 even after version 2 is published.
 */
import type { Knex } from 'knex';
import { FormValidator } from '@gridflow/engine';
import type { FormDefinition } from '@gridflow/engine';

/** Finds and compiles forms of the published definitions. */
export class FormRegistry {
  private readonly compiled = new Map<string, FormValidator>();

  constructor(private readonly db: Knex) {}

  /** The validator of a form version (the newest published version when none is given); undefined when unknown. */
  async find(key: string, version?: number | null): Promise<FormValidator | undefined> {
    if (version) {
      const hit = this.compiled.get(`${key}:${version}`);
      if (hit) return hit;
    }
    const rows = await this.db('definition_files').where({ path: `forms/${key}.form.json` }).orderBy('version_id', 'desc').select('content') as { content: string }[];
    const forms = rows.map((r) => JSON.parse(r.content) as FormDefinition);
    const form = version ? forms.find((f) => f.version === version) : forms.sort((a, b) => b.version - a.version)[0];
    if (!form) return undefined;
    const cacheKey = `${key}:${form.version}`;
    const validator = this.compiled.get(cacheKey) ?? new FormValidator(form);
    this.compiled.set(cacheKey, validator);
    return validator;
  }
}
