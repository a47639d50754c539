/** Checks of registers (台账): the fields a form's x-register names, register codes, relations and the permissions naming registers. */
import type { CheckContext } from './check-context.ts';
import type { FormSource } from './check-processes.ts';

/** Checks every register form and the `registers` of role permissions. */
export function checkRegisters(ctx: CheckContext, forms: FormSource[]): void {
  const registers = new Map<string, string>();
  const withRegister = forms.filter((f) => f.form['x-register']);
  for (const f of withRegister) {
    const spec = f.form['x-register'];
    if (!spec) continue;
    const at = (pointer: string) => ({ file: f.label, pointer: `/x-register${pointer}`, position: f.locate(`/x-register${pointer}`) });
    const first = registers.get(spec.code);
    if (first) ctx.problems.error('duplicate', at('/code'), { kind: { 'zh-CN': '台账', en: 'register' }, key: spec.code, first });
    else registers.set(spec.code, f.label);
    const fields = f.form.properties;
    const named: [string, string][] = [
      ['/titleField', spec.titleField], ['/gridField', spec.gridField],
      ...(spec.identityFields ?? []).map((x, i): [string, string] => [`/identityFields/${i}`, x]),
      ...(spec.filterFields ?? []).map((x, i): [string, string] => [`/filterFields/${i}`, x]),
    ];
    for (const [pointer, field] of named) if (!(field in fields)) ctx.problems.error('form.unknownField', at(pointer), { field });
    const grid = fields[spec.gridField] as { format?: unknown } | undefined;
    if (grid && grid.format !== 'grid-code') ctx.problems.error('register.gridField', at('/gridField'), { field: spec.gridField });
    (spec.filterFields ?? []).forEach((field, i) => {
      const type = (fields[field] as { type?: unknown } | undefined)?.type;
      if (type !== undefined && !['string', 'boolean', 'integer'].includes(String(type))) ctx.problems.error('register.filterField', at(`/filterFields/${i}`), { field });
    });
  }
  for (const f of withRegister) {
    (f.form['x-register']?.relations ?? []).forEach((r, i) => {
      if (!registers.has(r.target)) {
        const pointer = `/x-register/relations/${i}/target`;
        ctx.problems.error('ref.register', { file: f.label, pointer, position: f.locate(pointer) }, { code: r.target });
      }
    });
  }
  (ctx.data.roles?.roles ?? []).forEach((role, i) => {
    (role.permissions ?? []).forEach((perm, j) => {
      if (!perm.registers) return;
      const here = (p: string) => ctx.at('roles', `/roles/${i}/permissions/${j}${p}`);
      if (perm.subject !== 'RegisterRecord') ctx.problems.error('access.registersOnlyForRegisterRecord', here('/registers'), {});
      perm.registers.forEach((code, k) => {
        if (!registers.has(code)) ctx.problems.error('ref.register', here(`/registers/${k}`), { code });
      });
    });
  });
}
