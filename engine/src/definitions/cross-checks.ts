/** Runs every cross-file check over a resolved package. */
import { locatorFrom } from './check-context.ts';
import type { CheckContext } from './check-context.ts';
import { checkBoundaries, checkOrg } from './check-org.ts';
import { checkDepartments, checkRoles, checkUsers } from './check-people.ts';
import { checkAccess } from './check-access.ts';
import { checkCatalogue, checkResponsibilities } from './check-catalogue.ts';
import { checkAssessment, checkCalendar } from './check-calendar.ts';
import { checkIntakeProcess, checkProcessesAndForms } from './check-processes.ts';
import { checkRegisters } from './check-registers.ts';
import type { FormSource, ProcessSource } from './check-processes.ts';
import type { DataKindId } from './file-kinds.ts';
import type { Manifest, PackageData } from './model.ts';
import type { Problems } from './problems.ts';
import type { ProvNode } from './provenance.ts';

/** Cross-file checks: references between files, code rules, totals. */
export function runCrossChecks(
  manifest: Manifest, data: PackageData, provs: Partial<Record<DataKindId, ProvNode>>,
  processes: ProcessSource[], forms: FormSource[], problems: Problems, skip: ReadonlySet<DataKindId> = new Set(),
): void {
  const ctx: CheckContext = { manifest, data, problems, skip, at: locatorFrom(provs, 'manifest.yaml') };
  const units = checkOrg(ctx);
  checkBoundaries(ctx, units);
  const departments = checkDepartments(ctx, units);
  const roles = checkRoles(ctx);
  checkUsers(ctx, units, departments, roles);
  checkAccess(ctx);
  const subclasses = checkCatalogue(ctx);
  checkResponsibilities(ctx, subclasses, departments, units);
  checkCalendar(ctx);
  checkAssessment(ctx);
  checkProcessesAndForms(processes, forms, problems, new Set(roles.keys()));
  checkIntakeProcess(manifest, processes, problems, ctx.at('manifest', '/intakeProcess'));
  checkRegisters(ctx, forms);
}
