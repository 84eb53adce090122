// Who may do what on a simulated API server: the bearer-token table, the request
// attributes an RBAC authorizer sees, and the exact Forbidden wording kubectl prints.
import { randomBytes } from 'node:crypto';

/** An allow rule: verbs (`get`, `list`, `watch`, `*`) on resources (`nodes`, `nodes/proxy`, `pods`, `leases`, `*`) or non-resource paths (`/metrics`, `/readyz`). */
export interface AccessRule {
  verbs: string[];
  resources: string[];
}

export interface Grant {
  user: string;
  groups?: string[];
  rules: AccessRule[];
}

export interface Identity {
  user: string;
  groups: string[];
  rules: AccessRule[] | 'all';
}

export const ANONYMOUS: Identity = { user: 'system:anonymous', groups: ['system:unauthenticated'], rules: [] };

/** Groups kubeadm binds to cluster-admin: the admin.conf user and the API server's kubelet client. */
const ADMIN_GROUPS = new Set(['system:masters', 'kubeadm:cluster-admins']);

export function identityFromCertificate(commonName: string, organizations: string[]): Identity {
  const groups = [...organizations, 'system:authenticated'];
  return { user: commonName, groups, rules: organizations.some((o) => ADMIN_GROUPS.has(o)) ? 'all' : [] };
}

export class TokenTable {
  private readonly grants = new Map<string, Grant>();

  /** Registers a grant and returns its bearer token. */
  add(grant: Grant, token: string = randomBytes(24).toString('base64url')): string {
    this.grants.set(token, grant);
    return token;
  }

  revoke(token: string): void {
    this.grants.delete(token);
  }

  identity(token: string): Identity | undefined {
    const g = this.grants.get(token);
    if (!g) return undefined;
    const groups = [...(g.groups ?? []), 'system:authenticated'];
    return { user: g.user, groups, rules: groups.some((x) => ADMIN_GROUPS.has(x)) ? 'all' : g.rules };
  }
}

export interface ResourceAttributes {
  kind: 'resource';
  verb: string;
  /** '' for the core group. */
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface PathAttributes {
  kind: 'path';
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | PathAttributes;

function matches(list: string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

export function allowed(identity: Identity, a: RequestAttributes): boolean {
  if (identity.rules === 'all') return true;
  const target = a.kind === 'path' ? a.path : a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return identity.rules.some(
    (r) =>
      matches(r.verbs, a.verb) &&
      (matches(r.resources, target) || (a.kind === 'path' && r.resources.some((p) => p.endsWith('*') && target.startsWith(p.slice(0, -1))))),
  );
}

/** apiserver's responsewriters.forbiddenMessage wrapped by apierrors.NewForbidden. */
export function forbiddenMessage(user: string, a: RequestAttributes): string {
  if (a.kind === 'path') return `forbidden: User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const reason = `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  return a.name ? `${qualified} "${a.name}" is forbidden: ${reason}` : `${qualified} is forbidden: ${reason}`;
}
