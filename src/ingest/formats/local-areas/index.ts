/** The Sozialraumliste: a Kommune's own units below the Gemeinde (docs/templates/README.md). */
export { detect, parse, type ListedArea, type ParsedAreaList } from './parse.ts';
