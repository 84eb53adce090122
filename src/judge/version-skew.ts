// The kubelet/API server version skew Kubernetes supports: a kubelet never newer than the API
// server, and at most three minor versions older since 1.28 (two before). Pure.

export interface MinorVersion {
  major: number;
  minor: number;
}

/** `v1.31.4+k3s1`, `v1.30.8-eks-2d5f260`, `1.29` → { major, minor }; null when unreadable. */
export function parseMinor(version: string | null | undefined): MinorVersion | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** How many minor versions older a kubelet may be than an API server of this version. */
export function allowedKubeletLag(apiServer: MinorVersion): number {
  return apiServer.major === 1 && apiServer.minor >= 28 ? 3 : 2;
}

export type SkewVerdict = { ok: true; lag: number } | { ok: false; lag: number; why: string };

export function judgeSkew(kubelet: MinorVersion, apiServer: MinorVersion): SkewVerdict {
  if (kubelet.major !== apiServer.major) return { ok: false, lag: NaN, why: `major versions differ (${kubelet.major} vs ${apiServer.major})` };
  const lag = apiServer.minor - kubelet.minor;
  if (lag < 0)
    return { ok: false, lag, why: `the kubelet is ${-lag} minor version${lag === -1 ? '' : 's'} newer than the API server (a kubelet must never be newer)` };
  const allowed = allowedKubeletLag(apiServer);
  if (lag > allowed)
    return {
      ok: false,
      lag,
      why: `the kubelet is ${lag} minor versions older than the API server (supported: at most ${allowed} for an API server at 1.${apiServer.minor})`,
    };
  return { ok: true, lag };
}
