export * from './schema';
export * from './parse';
export * from './merge';
export * from './ceilings';
