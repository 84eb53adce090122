// The ordered registry of checks. Order is the order of `k8sdoc checks` and of the report.
import type { Check } from '../engine/types.js';
import { apiserverReachable } from './apiserver-reachable.js';

export const CHECKS: readonly Check[] = [
  apiserverReachable,
];
