/**
 * What intake reads of the active definitions: the process a report starts (the manifest's
 * `intakeProcess`) and the event catalogue (subclass names and urgency), from the active
 * definitions (runtime/src/definitions/active-definitions.ts), kept per package in use.
 */
import type { Knex } from 'knex';
import type { Subclass } from '@gridflow/engine';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import type { DistrictDefinitions } from '../definitions/active-definitions.ts';

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

/** The intake settings of the active definitions in use for a district (the first active leaf when none matches). */
export class IntakeDefinitionsLoader {
  private readonly byPackage = new WeakMap<DistrictDefinitions, IntakeDefinitions>();

  constructor(private readonly db: Knex) {}

  async forDistrict(districtCode: string | undefined): Promise<IntakeDefinitions> {
    const active = await activeDefinitions(this.db);
    const chosen = active.forDistrict(districtCode) ?? active.districts[0];
    if (!chosen) return { processKey: DEFAULT_INTAKE_PROCESS, subclasses: new Map() };
    let loaded = this.byPackage.get(chosen);
    if (!loaded) {
      const classes = chosen.pkg.data.catalogue?.classes ?? [];
      loaded = {
        processKey: chosen.pkg.manifest.intakeProcess ?? DEFAULT_INTAKE_PROCESS,
        subclasses: new Map(classes.flatMap((c) => c.subclasses.map((sc) => [sc.code, sc] as const))),
      };
      this.byPackage.set(chosen, loaded);
    }
    return loaded;
  }
}
