/** The start page: what is loaded and where to go next (server-rendered, every value escaped). */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Figures shown on the start page. */
export interface HomeFigures {
  district?: { code: string; name: string };
  levels: Record<string, number>;
  departments: number;
  users: number;
  versions: { key: string; version: string; name: string; active: boolean }[];
}

/** Renders the start page in zh-CN. */
export function renderHomePage(f: HomeFigures): string {
  const rows = f.versions.map((v) => `<tr><td>${escapeHtml(v.key)}</td><td>${escapeHtml(v.version)}</td><td>${escapeHtml(v.name)}</td><td>${v.active ? '当前' : ''}</td></tr>`).join('');
  const district = f.district ? `${escapeHtml(f.district.name)}（${escapeHtml(f.district.code)}）` : '尚未导入区县配置';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>GridFlow 网格化治理</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1f2329}table{border-collapse:collapse}td,th{border:1px solid #dee0e3;padding:.3rem .6rem}</style></head>
<body><h1>GridFlow 网格化社会治理</h1><p>区县：${district}</p>
<ul><li>街道 ${f.levels.street ?? 0} 个</li><li>社区 ${f.levels.community ?? 0} 个</li><li>网格 ${f.levels.grid ?? 0} 个</li>
<li>职能部门 ${f.departments} 个</li><li>用户 ${f.users} 个</li></ul>
<h2>已发布配置</h2><table><tr><th>配置包</th><th>版本</th><th>名称</th><th>状态</th></tr>${rows}</table>
<p><a href="/workbench">进入工作台</a></p>
<p>接口：<a href="/api/health">/api/health</a>、<a href="/api/org/units">/api/org/units</a>、<a href="/api/definitions">/api/definitions</a></p></body></html>`;
}
