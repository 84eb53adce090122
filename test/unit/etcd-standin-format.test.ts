// The stand-in's /metrics numbers read as etcd's do: Go's Prometheus client prints floats in
// their shortest form, with an exponent from 1e6 up (etcd_server_quota_backend_bytes 4.194304e+06).
import { describe, expect, it } from 'vitest';
import { goFloat } from '../../src/sim/etcd-standin.js';

describe('goFloat', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [20480, '20480'],
    [999999, '999999'],
    [3604480, '3.60448e+06'],
    [4194304, '4.194304e+06'],
    [2147483648, '2.147483648e+09'],
    [0.5, '0.5'],
    [0.00001, '1e-05'],
  ])('%d prints as %s', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });
});
