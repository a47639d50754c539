/** UI text of the workbench: zh-CN by default, English on request (saved in the browser). */
export type Locale = 'zh-CN' | 'en';

const texts = {
  'app.title': ['GridFlow 网格化治理工作台', 'GridFlow governance workbench'],
  'login.title': ['登录', 'Sign in'],
  'login.username': ['用户名', 'Username'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'nav.inbox': ['待办任务', 'Inbox'],
  'nav.logout': ['退出', 'Sign out'],
  'nav.language': ['English', '中文'],
  'inbox.name': ['任务', 'Task'],
  'inbox.step': ['环节', 'Step'],
  'inbox.created': ['到达时间', 'Arrived'],
  'inbox.due': ['办理期限', 'Due'],
  'inbox.open': ['办理', 'Open'],
  'inbox.empty': ['暂无待办任务', 'No open tasks'],
  'form.submit': ['提交', 'Submit'],
  'form.back': ['返回待办', 'Back to inbox'],
  'form.done': ['已提交', 'Submitted'],
  'form.invalid': ['表单填写有误，请按提示修改', 'The form has errors; please correct them'],
  'upload.add': ['上传', 'Upload'],
  'array.add': ['添加一行', 'Add a row'],
  'map.lon': ['经度', 'Longitude'],
  'map.lat': ['纬度', 'Latitude'],
} as const;

/** A text key. */
export type TextKey = keyof typeof texts;

let current: Locale = (globalThis.localStorage?.getItem('gridflow.locale') as Locale | null) ?? 'zh-CN';

/** The current locale. */
export function locale(): Locale {
  return current;
}

/** Switches the locale (the page reloads its texts). */
export function setLocale(next: Locale): void {
  current = next;
  globalThis.localStorage?.setItem('gridflow.locale', next);
}

/** The text of a key in the current locale. */
export function t(key: TextKey): string {
  return texts[key][current === 'zh-CN' ? 0 : 1];
}

/** Picks the current locale's message of a server message. */
export function localized(message: { 'zh-CN': string; en: string } | string | undefined): string {
  if (message === undefined) return '';
  return typeof message === 'string' ? message : message[current];
}
