/** Semantic version ordering of definitions packages. */

const parse = (v: string) => {
  const [core = '', pre] = v.split('-', 2);
  return { nums: core.split('.').map((n) => Number(n)), pre };
};

/** Negative when a < b, positive when a > b, 0 when equal (semver precedence, simplified pre-release rule). */
export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
