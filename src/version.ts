declare const __K8SDOC_VERSION__: string | undefined;
declare const __K8SDOC_COMMIT__: string | undefined;
declare const __K8SDOC_BUILD_DATE__: string | undefined;

/** Set by the build from package.json; tests that import src/ directly see the dev marker. */
export const VERSION: string = typeof __K8SDOC_VERSION__ === 'string' ? __K8SDOC_VERSION__ : '0.0.0-dev';

/** The git commit the build was made from ("unknown" outside a git checkout, or unbuilt). */
export const COMMIT: string = typeof __K8SDOC_COMMIT__ === 'string' ? __K8SDOC_COMMIT__ : 'unknown';

/** When the build ran (UTC, ISO 8601; SOURCE_DATE_EPOCH when set), "unknown" when unbuilt. */
export const BUILD_DATE: string = typeof __K8SDOC_BUILD_DATE__ === 'string' ? __K8SDOC_BUILD_DATE__ : 'unknown';
