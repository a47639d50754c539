/** Test support: editable copies of the bundled definitions packages in a temporary folder. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDistrictPackageDir, standardPackageDir } from '@gridflow/definitions';

/** A temporary folder holding copies of `standard` and `demo-district`. */
export function copyPackages(): { root: string; standard: string; district: string; edit(file: string, from: string | RegExp, to: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'gridflow-defs-'));
  const standard = join(root, 'standard');
  const district = join(root, 'demo-district');
  cpSync(standardPackageDir, standard, { recursive: true });
  cpSync(demoDistrictPackageDir, district, { recursive: true });
  return {
    root, standard, district,
    edit(file, from, to) {
      const text = readFileSync(file, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
      writeFileSync(file, next);
    },
  };
}
