/** Pure types and rules shared by every layer. */
export * from './flags.ts';
export * from './region.ts';
export * from './period.ts';
export * from './observation.ts';
export * from './errors.ts';
