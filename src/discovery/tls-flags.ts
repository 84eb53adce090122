// The etcd TLS files named on the command line must be usable before anything runs: a typo
// in --etcd-cert is the user's to fix (exit 2), not three "member unreachable" findings.
import { UsageError } from '../errors.js';
import { FileReadError, readFileCappedSync } from '../util/read-file-capped.js';
import type { CheckOptions } from '../options.js';

type Expect = 'certificate' | 'key';

/** A CA bundle of a few hundred certificates fits many times over. */
const MAX_PEM_BYTES = 16 * 1024 * 1024;

function checkPemFile(path: string, flag: string, expect: Expect): void {
  let text: string;
  try {
    text = readFileCappedSync(path, { maxBytes: MAX_PEM_BYTES }).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    if (err.reason === 'missing') throw new UsageError(`${flag}: ${path} does not exist; check the path`);
    if (err.reason === 'not-a-file' || err.reason === 'too-large') throw new UsageError(`${flag}: ${path} ${err.message}; name the ${expect} file`);
    throw new UsageError(`${flag}: ${path} ${err.message}; run as a user that can read it (e.g. root on a control-plane node)`);
  }
  const hasCert = text.includes('-----BEGIN CERTIFICATE-----');
  const hasKey = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(text);
  if (expect === 'certificate' && !hasCert) {
    throw new UsageError(
      hasKey
        ? `${flag}: ${path} holds a private key, not a certificate; pass the .crt file here and the key with --etcd-key`
        : `${flag}: ${path} holds no PEM certificate`,
    );
  }
  if (expect === 'key' && !hasKey) {
    throw new UsageError(hasCert ? `${flag}: ${path} holds a certificate, not a private key; pass the .key file` : `${flag}: ${path} holds no PEM private key`);
  }
}

export function validateEtcdTlsFlags(options: Pick<CheckOptions, 'etcdCacert' | 'etcdCert' | 'etcdKey'>): void {
  if ((options.etcdCert === null) !== (options.etcdKey === null)) {
    throw new UsageError(options.etcdCert === null ? '--etcd-key needs --etcd-cert too' : '--etcd-cert needs --etcd-key too');
  }
  if (options.etcdCacert !== null) checkPemFile(options.etcdCacert, '--etcd-cacert', 'certificate');
  if (options.etcdCert !== null) checkPemFile(options.etcdCert, '--etcd-cert', 'certificate');
  if (options.etcdKey !== null) checkPemFile(options.etcdKey, '--etcd-key', 'key');
}
