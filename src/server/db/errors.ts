/**
 * A concurrent insert can still hit a unique index (or the primary key) after the check that
 * looked for the row; callers answer it as if the check had found it. The codes of both drivers.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string }
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
