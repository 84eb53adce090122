/**
 * The user asked for something that cannot run as asked (bad flag, unknown context,
 * unreadable kubeconfig). The CLI prints `message` as one line and exits 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
