// YAML is only needed when a file is actually read (manifests, kubeconfigs beside the PKI):
// loading the parser lazily keeps `k8sdoc checks`, `explain` and --help fast.
import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions;

export async function parseYamlLazily(text: string, options?: Options): Promise<unknown> {
  const { parse } = await import('yaml');
  return parse(text, options);
}
