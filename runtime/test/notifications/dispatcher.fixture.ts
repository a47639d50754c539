/**
 * A runtime process that only delivers notifications (for the crash test): DATABASE_URL and the
 * webhook environment as the runtime reads them; prints READY once the dispatcher loop runs.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { startNotificationDelivery } from '../../src/notifications/notification-delivery.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';

const config = loadConfig(process.env);
const db = openDatabase(config.databaseUrl);
const registry = await loadPlugins(config.plugins, process.env);
startNotificationDelivery(db, registry, config.notifications, pino({ level: process.env.GRIDFLOW_TEST_LOG ?? 'silent' }), { pollMs: 20 });
console.log('READY');
setInterval(() => undefined, 60_000);
