/** Database connections: SQLite (better-sqlite3, embedded default) or MySQL 8 / MariaDB 10.11 (mysql2). */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { OperationalError, UserError } from '@gridflow/engine';

/** A parsed DATABASE_URL. */
export type DatabaseTarget =
  | { client: 'sqlite'; filename: string }
  | { client: 'mysql'; url: string; database: string };

/** Parses DATABASE_URL: `sqlite:<path>`, `file:<path>`, or `mysql://` / `mariadb://`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const sqlite = /^(?:sqlite|file):(?:\/\/)?(.+)$/.exec(url);
  if (sqlite?.[1]) return { client: 'sqlite', filename: sqlite[1] === ':memory:' ? ':memory:' : resolve(sqlite[1]) };
  if (/^(mysql|mariadb):\/\//.test(url)) {
    const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) throw new UserError('config.databaseName', { 'zh-CN': `DATABASE_URL 缺少数据库名：${redactUrl(url)}`, en: `DATABASE_URL has no database name: ${redactUrl(url)}` });
    return { client: 'mysql', url: parsed.toString(), database };
  }
  throw new UserError('config.databaseUrl', {
    'zh-CN': `无法识别的 DATABASE_URL：${redactUrl(url)}（应为 sqlite:<文件> 或 mysql://用户:密码@主机:端口/数据库）`,
    en: `Unrecognised DATABASE_URL: ${redactUrl(url)} (expected sqlite:<file> or mysql://user:password@host:port/database)`,
  });
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** knex prints connection failures itself; GridFlow reports them once, with advice (assertReachable). */
const quietLog = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };

/** Opens a knex instance for DATABASE_URL (no query is made yet). */
export function openDatabase(url: string): Knex {
  const target = parseDatabaseUrl(url);
  if (target.client === 'sqlite') {
    if (target.filename !== ':memory:') mkdirSync(dirname(target.filename), { recursive: true });
    return knexFactory({
      client: 'better-sqlite3',
      log: quietLog,
      connection: { filename: target.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        },
      },
    });
  }
  return knexFactory({
    client: 'mysql2',
    log: quietLog,
    connection: { uri: target.url, charset: 'utf8mb4', timezone: 'Z', dateStrings: false, supportBigNumbers: true } as never,
    pool: { min: 0, max: 10 },
  });
}

/** Checks the database answers; a failure names the URL (without password) and what to check. */
export async function assertReachable(db: Knex, url: string): Promise<void> {
  try {
    await db.raw('select 1');
  } catch (e) {
    const reason = (e as { code?: string; message?: string }).code ?? (e as Error).message;
    const safe = redactUrl(url);
    throw new OperationalError({
      'zh-CN': `无法连接数据库 ${safe}（${reason}）。请检查：数据库服务是否已启动、主机和端口是否正确、用户名密码是否正确、数据库是否已创建、该用户是否有权限。`,
      en: `Cannot reach the database ${safe} (${reason}). Check that the server is running, the host and port are right, the user name and password are right, the database exists and the user may use it.`,
    }, { cause: e });
  }
}
