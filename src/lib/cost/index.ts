export * from './types';
export * from './strategy-cost';
export * from './roofline';
export * from './ceilings';
