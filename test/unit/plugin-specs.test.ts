// Whether a run loads the plugin machinery: only when a plugin is asked for, and also when the
// config file names a plugin's code, so that a code no loaded plugin defines is still refused.
import { describe, expect, it } from 'vitest';
import { pluginSpecs, pluginsWanted } from '../../src/plugin/specs.js';

describe('pluginSpecs', () => {
  it('reads what commander hands over for a repeatable option', () => {
    expect(pluginSpecs(undefined)).toEqual([]);
    expect(pluginSpecs(true)).toEqual([]);
    expect(pluginSpecs('./a.mjs')).toEqual(['./a.mjs']);
    expect(pluginSpecs(['./a.mjs', 'pkg'])).toEqual(['./a.mjs', 'pkg']);
  });
});

describe('pluginsWanted', () => {
  it('is false with neither --plugin nor a config file that mentions plugins', () => {
    expect(pluginsWanted([], null)).toBe(false);
    expect(pluginsWanted([], {})).toBe(false);
    expect(pluginsWanted([], { plugins: [] })).toBe(false);
  });

  it('is true for --plugin, a config file plugins: list, or a plugin code named in the config file', () => {
    expect(pluginsWanted(['./a.mjs'], null)).toBe(true);
    expect(pluginsWanted([], { plugins: ['/etc/k8sdoc/a.mjs'], pluginLines: { 'plugin:/etc/k8sdoc/a.mjs': 3 } })).toBe(true);
    expect(pluginsWanted([], { pluginLines: { 'code:acme/ingress-down': 5 } })).toBe(true);
  });
});
