/** @gridflow/engine/testing: the test harness for plugin authors (a real engine per test file). */
export { startTestEngine, eventually } from './test-engine.ts';
export type { TestEngine } from './test-engine.ts';
