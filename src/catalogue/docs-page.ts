import { CHECKS } from '../checks/index.js';
import { catalogueMarkdown } from './markdown.js';

/** The catalogue page with each code's detecting checks, as docs/catalogue.md holds it. */
export function catalogueDocsPage(): string {
  return catalogueMarkdown((code) => CHECKS.filter((c) => (c.codes as readonly string[]).includes(code)).map((c) => c.id));
}
