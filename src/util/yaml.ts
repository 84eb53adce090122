// YAML is only needed when a file is actually read (manifests, kubeconfigs beside the PKI):
// loading the parser lazily keeps `k8sdoc checks`, `explain` and --help fast.
import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions;
type YamlModule = typeof import('yaml');

export async function parseYamlLazily(text: string, options?: Options): Promise<unknown> {
  const mod = (await import('yaml')) as YamlModule & { default?: YamlModule };
  // yaml ships CommonJS: bundled, its functions sit on the namespace's default export.
  const parse = mod.parse ?? mod.default!.parse;
  return parse(text, options);
}
