/** Scenario files: what a session must do, written down and checked (`tropo-app test`). */
export {
  checkExpectations,
  runScenario,
  type ScenarioDeps,
  type ScenarioResult,
  type Unmet,
} from './run';
export {
  ENDINGS,
  loadScenarioFile,
  ScenarioFileError,
  scenarioSchema,
  type LoadedScenario,
  type Scenario,
} from './schema';
export { applySnapshots, findScenarioFiles, loadAll, runAll, type BadFile } from './suite';
export {
  failureDetails,
  junitXml,
  normalisedTranscript,
  resultLines,
  snapshotPath,
} from './report';
export {
  coverageOf,
  edgesOf,
  formatCoverage,
  handlerOf,
  type AppCoverage,
  type DeclaredHandlers,
  type ObservedEdge,
} from './coverage';
export { htmlOf, mermaidOf, svgOf } from './graph';
