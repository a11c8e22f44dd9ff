/** Colours and names of the tensor roles, shared by the traffic bars and their legend. */
import type { TensorRole } from '../../../lib/cost/types';

export const ROLE_COLOR: Record<TensorRole, string> = {
  input: 'var(--role-input)',
  weight: 'var(--role-weight)',
  intermediate: 'var(--role-intermediate)',
  output: 'var(--role-output)',
};

export const ROLE_NAME: Record<TensorRole, string> = {
  input: 'input X',
  weight: 'weights',
  intermediate: 'intermediates',
  output: 'output Y',
};
