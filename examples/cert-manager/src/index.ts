// A k8sdoc plugin in TypeScript: every cert-manager Certificate is Ready, and none expires
// within two weeks (cert-manager renews 30 days ahead by default, so a Certificate that close
// to its end has failed to renew). Build it with `npm run build` (tsc) and load the output:
// k8sdoc check --plugin ./dist/index.js
import { definePlugin, type PluginContext, type PluginFinding } from 'k8sdoc/plugin';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Certificate {
  metadata: { name: string; namespace: string };
  spec?: { secretName?: string };
  status?: { conditions?: Condition[]; notAfter?: string };
}

const EXPIRING_DAYS = 14;
const DAY_MS = 86_400_000;

function judge(ctx: PluginContext, cert: Certificate): PluginFinding {
  const subject = `certificate ${cert.metadata.namespace}/${cert.metadata.name}`;
  const ready = cert.status?.conditions?.find((c) => c.type === 'Ready');
  const data = { namespace: cert.metadata.namespace, name: cert.metadata.name, secret: cert.spec?.secretName ?? null };
  if (ready?.status !== 'True') {
    const why = ready ? `${ready.reason ?? 'NotReady'}: ${ready.message ?? ''}`.trim() : 'no Ready condition yet';
    return ctx.raise({ code: 'cert-manager/certificate-not-ready', subject, message: `not Ready (${why})`, data });
  }
  const notAfter = cert.status?.notAfter ? Date.parse(cert.status.notAfter) : NaN;
  if (Number.isFinite(notAfter)) {
    const days = Math.floor((notAfter - ctx.now.getTime()) / DAY_MS);
    if (days < EXPIRING_DAYS) {
      return ctx.raise({
        code: 'cert-manager/certificate-expiring',
        subject,
        message: days < 0 ? `expired ${-days} days ago and was not renewed` : `expires in ${days} days and was not renewed`,
        data: { ...data, daysLeft: days },
      });
    }
    return ctx.ok(subject, `Ready, expires in ${days} days`, { data: { ...data, daysLeft: days } });
  }
  return ctx.ok(subject, 'Ready', { data });
}

export default definePlugin({
  name: 'cert-manager',
  version: '1.0.0',
  apiVersion: 1,
  catalogue: {
    'cert-manager/certificate-not-ready': {
      title: 'cert-manager Certificate is not Ready',
      severity: 'crit',
      symptom: 'HTTPS clients get an old, self-signed or missing certificate for the host the Certificate names',
      causes: [
        'the issuer refused or failed the request (ACME challenge not reachable, rate limit, wrong credentials)',
        'the Issuer or ClusterIssuer it names does not exist or is not Ready',
        'cert-manager itself is not running',
      ],
      fix: [
        'kubectl describe certificate -n <namespace> <name>   # the Ready condition and events say why',
        'kubectl get certificaterequests,orders,challenges -n <namespace>',
        'kubectl -n cert-manager logs deploy/cert-manager --since=1h',
      ],
      docs: 'https://cert-manager.io/docs/troubleshooting/',
      keywords: ['cert-manager', 'certificate not ready', 'acme', 'letsencrypt'],
    },
    'cert-manager/certificate-expiring': {
      title: 'cert-manager Certificate expires soon without being renewed',
      severity: 'warn',
      symptom: 'a certificate cert-manager manages is close to its end: renewal (30 days ahead by default) has been failing',
      causes: ['renewal fails at the issuer (see the CertificateRequest)', 'the Certificate was edited to a renewBefore too short for the issuer'],
      fix: ['kubectl describe certificate -n <namespace> <name>', 'cmctl renew -n <namespace> <name>   # ask for a renewal now'],
      docs: 'https://cert-manager.io/docs/usage/certificate/#renewal',
      keywords: ['cert-manager', 'renewal', 'expiring'],
    },
  },
  checks: [
    {
      id: 'cert-manager-certificates',
      component: 'cert-manager',
      title: 'Every cert-manager Certificate is Ready and not about to expire',
      needs: ['api'],
      codes: ['cert-manager/certificate-not-ready', 'cert-manager/certificate-expiring'],
      async run(ctx) {
        const list = await ctx.kube.list('/apis/cert-manager.io/v1/certificates');
        if (list.kind === 'forbidden') return [ctx.skip('cert-manager', list.message)];
        if (list.kind === 'failed') {
          if (list.status === 404) return [ctx.skip('cert-manager', 'cert-manager is not installed (no certificates.cert-manager.io)')];
          throw new Error(list.message);
        }
        return (list.items as Certificate[]).map((cert) => judge(ctx, cert));
      },
    },
  ],
});
