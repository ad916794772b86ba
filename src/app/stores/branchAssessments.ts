import type { MyBranchAssessments } from '#shared/upper/assessment-schemas'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { upperApi } from '../components/upper/upper-api'

/**
 * 支部争先 as the branch admin sees it: the upper organization's closed ratings of their own branch,
 * read online (a single-branch install has no upper organization, so the list is simply empty).
 */
export const useBranchAssessmentsStore = defineStore('branchAssessments', () => {
  const list = ref<MyBranchAssessments['assessments'] | null>(null)

  async function load(): Promise<void> {
    list.value = (await upperApi.mine()).assessments
  }

  return { list, load }
})
