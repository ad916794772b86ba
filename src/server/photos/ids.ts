/** A record's photo id column, read back as a list (older rows have '[]'). */
export function photoIdsOf(json: string | null | undefined): string[] {
  if (!json)
    return []
  try {
    const ids = JSON.parse(json) as unknown
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []
  }
  catch {
    return []
  }
}
