/** The AG Bildungsmonitoring's workspace: Handlungsfelder and Fragestellungen with history. */
export * from './workspace.ts';
export { exportQuestionsYaml } from './export.ts';
