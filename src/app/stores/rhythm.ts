import type { RhythmSettings, RhythmView } from '#shared/meetings/rhythm-schemas'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { rhythmApi } from '../components/meetings/rhythm-api'

/**
 * 三会一课 执行情况 (issue 14 point 3): the year's report for the branch admin (whole branch) or a
 * group leader (own group), and the rhythm and 迟到 grace the branch admin sets. Online only: a
 * report over the whole year is read where there is signal, not kept on the phone.
 */
export const useRhythmStore = defineStore('rhythm', () => {
  const view = ref<RhythmView | null>(null)
  const settings = ref<RhythmSettings | null>(null)

  async function load(year: number): Promise<RhythmView> {
    view.value = await rhythmApi.view(year)
    settings.value = view.value.report.settings
    return view.value
  }

  async function saveSettings(next: RhythmSettings): Promise<RhythmSettings> {
    settings.value = await rhythmApi.saveSettings(next)
    // The report follows the new rhythm and grace at once.
    if (view.value)
      await load(view.value.report.year)
    return settings.value
  }

  return { view, settings, load, saveSettings }
})
