declare const __K8SDOC_VERSION__: string | undefined;

/** Set by the build from package.json; tests that import src/ directly see the dev marker. */
export const VERSION: string = typeof __K8SDOC_VERSION__ === 'string' ? __K8SDOC_VERSION__ : '0.0.0-dev';
