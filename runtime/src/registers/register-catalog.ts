/**
 * The registers (台账) of the active definitions in use (a base package's forms are read through
 * the district package that extends it): every form with `x-register`, compiled once per definitions state. A record keeps the form version it was
 * last written with; writes validate against the current version.
 */
import type { Knex } from 'knex';
import { FormValidator } from '@gridflow/engine';
import type { FormDefinition, RegisterSpec, SensitiveKind } from '@gridflow/engine';
import { DefinitionsStore, definitionsFingerprint } from '../definitions/definitions.store.ts';

/** A register with its form. */
export interface Register {
  spec: RegisterSpec;
  form: FormDefinition;
  validator: FormValidator;
  /** Form fields holding personal data, by field, with their kind. */
  sensitive: Map<string, SensitiveKind>;
}

/** Finds the registers of the active definitions. */
export class RegisterCatalog {
  private cached: { fingerprint: string; registers: Map<string, Register> } | undefined;

  constructor(private readonly db: Knex) {}

  /** All registers by code. */
  async all(): Promise<Map<string, Register>> {
    const fingerprint = await definitionsFingerprint(this.db);
    if (this.cached?.fingerprint !== fingerprint) this.cached = { fingerprint, registers: await this.load() };
    return this.cached.registers;
  }

  /** One register, or undefined. */
  async find(code: string): Promise<Register | undefined> {
    return (await this.all()).get(code);
  }

  private async load(): Promise<Map<string, Register>> {
    const leaves = (await new DefinitionsStore(this.db).activeLeaves()).map((v) => [v.key, v.version]);
    const rows = leaves.length === 0 ? [] : await this.db('definition_files as f').join('definition_versions as v', 'v.id', 'f.version_id')
      .whereIn(['v.package_key', 'v.version'], leaves).where('f.kind', 'form').select('f.content') as { content: string }[];
    const newest = new Map<string, FormDefinition>();
    for (const r of rows) {
      const form = JSON.parse(r.content) as FormDefinition;
      const code = form['x-register']?.code;
      if (!code) continue;
      const seen = newest.get(code);
      if (!seen || seen.version < form.version) newest.set(code, form);
    }
    const registers = new Map<string, Register>();
    for (const [code, form] of newest) {
      const sensitive = new Map<string, SensitiveKind>();
      for (const [field, schema] of Object.entries(form.properties)) {
        const kind = (schema as { 'x-sensitive'?: SensitiveKind })['x-sensitive'];
        if (kind) sensitive.set(field, kind);
      }
      registers.set(code, { spec: form['x-register'] as RegisterSpec, form, validator: new FormValidator(form), sensitive });
    }
    return registers;
  }
}
