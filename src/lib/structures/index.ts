export * from './types';
export * from './shapes';
export * from './validate';
export * from './random';
export * from './init';
export * from './reference';
export * from './dense-equivalent';
export * from './compare';
