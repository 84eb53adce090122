// The certificate a simulated API server presents, healthy or broken in one of the ways
// that make clients fail TLS: expired, not yet valid, issued for other names, or signed by
// a CA the kubeconfig does not trust.
import { createCa, expiredSince, issue, notYetValidFor, type Issued, type KubeadmPki } from './pki.js';
import type { ServedCert } from './scenarios/spec.js';

export interface ServingNames {
  dnsNames: string[];
  ipAddresses: string[];
}

export async function servedCertificate(kind: ServedCert, pki: KubeadmPki, names: ServingNames): Promise<Issued> {
  const ca = pki.authorities.ca;
  const base = { commonName: 'kube-apiserver', usage: 'server' as const, ...names };
  switch (kind) {
    case 'valid':
      return pki.certs.apiserver ?? issue(ca, base);
    case 'expired':
      return issue(ca, { ...base, validity: expiredSince(10) });
    case 'not-yet-valid':
      return issue(ca, { ...base, validity: notYetValidFor(10) });
    case 'wrong-san':
      return issue(ca, { ...base, dnsNames: ['wrong-host.invalid'], ipAddresses: ['10.255.255.1'] });
    case 'unknown-ca':
      return issue(await createCa('kubernetes'), base);
  }
}
