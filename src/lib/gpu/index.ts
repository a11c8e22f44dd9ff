export * from './types';
export * from './engine';
export * from './device';
export { buildPlan, type PlanLimits } from './plans';
export type { Plan, Step, TensorDecl } from './plan-types';
export * from './roofline';
