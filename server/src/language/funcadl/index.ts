export { analyzeFuncAdlFile, analyzeUprootQuery, type QueryAnalysis } from './diagnostics';
export { glue, translateDetailed, translateUprootQuery, type Glue, type Translation } from './translate';
export { parseModule } from './parser';
export { PyError } from './errors';
