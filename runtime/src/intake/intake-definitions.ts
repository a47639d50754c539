/**
 * What intake reads of the active definitions: the process a report starts (the manifest's
 * `intakeProcess`) and the event catalogue (subclass names and urgency). Published versions are
 * immutable, so what is read of a version is kept.
 */
import type { Knex } from 'knex';
import { parseRef } from '@gridflow/engine';
import type { EventClass, Manifest, Subclass } from '@gridflow/engine';

/** The process a report starts when the manifest names none. */
export const DEFAULT_INTAKE_PROCESS = 'case-handling';
/** The form every report is made on (事件上报). */
export const INTAKE_FORM = 'event-report';

/** The intake settings of the active definitions. */
export interface IntakeDefinitions {
  /** Key of the process to start. */
  processKey: string;
  /** The catalogue's subclasses by 5-digit code. */
  subclasses: Map<string, Subclass>;
}

interface VersionRow {
  id: number;
  package_key: string;
  base_ref: string | null;
  manifest_json: string;
}

/** Reads (and keeps) the intake settings of active definitions versions. */
export class IntakeDefinitionsLoader {
  private readonly byVersion = new Map<number, IntakeDefinitions>();

  constructor(private readonly db: Knex) {}

  /** The settings of the active package in use for a district (the first active leaf when none matches). */
  async forDistrict(districtCode: string | undefined): Promise<IntakeDefinitions> {
    const active = await this.db('definition_versions').whereNotNull('activated_at').select('id', 'package_key', 'base_ref', 'manifest_json') as VersionRow[];
    const bases = new Set(active.flatMap((v) => (v.base_ref ? [parseRef(v.base_ref).key] : [])));
    const leaves = active.filter((v) => !bases.has(v.package_key)).sort((a, b) => a.id - b.id);
    const manifests = leaves.map((v) => ({ row: v, manifest: JSON.parse(v.manifest_json) as Manifest }));
    const chosen = manifests.find((m) => districtCode && m.manifest.districtCode === districtCode) ?? manifests[0];
    if (!chosen) return { processKey: DEFAULT_INTAKE_PROCESS, subclasses: new Map() };
    const known = this.byVersion.get(chosen.row.id);
    if (known) return known;
    const file = await this.db('definition_files').where({ version_id: chosen.row.id, kind: 'catalogue' }).first('content') as { content: string } | undefined;
    const classes = file ? (JSON.parse(file.content) as { classes: EventClass[] }).classes : [];
    const loaded: IntakeDefinitions = {
      processKey: chosen.manifest.intakeProcess ?? DEFAULT_INTAKE_PROCESS,
      subclasses: new Map(classes.flatMap((c) => c.subclasses.map((s) => [s.code, s] as const))),
    };
    this.byVersion.set(chosen.row.id, loaded);
    return loaded;
  }
}
