import type { RhythmSettings, RhythmView } from '#shared/meetings/rhythm-schemas'
import { api, get, queryString } from '../../api/client'

/** The online calls of the 三会一课 执行情况 store (src/app/stores/rhythm.ts): a report, read where there is signal. */
export const rhythmApi = {
  view: (year: number) => get<RhythmView>(`/meetings/rhythm${queryString({ year })}`),
  saveSettings: (s: RhythmSettings) => api<RhythmSettings>('PUT', '/meetings/rhythm/settings', s),
}
