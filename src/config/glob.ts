// Subject patterns of `ignore` entries. Subjects are free-form (file paths, URLs, "etcd
// member cp-1 (https://…)"), so `*` crosses slashes: it matches any run of characters.

export function subjectMatches(pattern: string, subject: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === subject;
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(subject);
}
