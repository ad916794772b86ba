import type { BranchDetail, BranchSetupLink, Overview } from '#shared/schemas/upper'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { upperApi } from '../components/upper/upper-api'

/**
 * 上级党组织's read-only view (issue 14): its branches side by side and one branch's groups, read
 * online (nothing of it is kept on the device), and the one write it makes — a new branch with
 * its setup link, shown once to be sent to that branch's first admin.
 */
export const useUpperStore = defineStore('upper', () => {
  const overview = ref<Overview | null>(null)
  const branch = ref<BranchDetail | null>(null)
  /** The link just made, until the admin leaves the page. */
  const link = ref<BranchSetupLink | null>(null)

  async function loadOverview(year?: number): Promise<void> {
    overview.value = await upperApi.overview(year)
  }

  async function loadBranch(id: string, year?: number): Promise<void> {
    branch.value = null
    branch.value = await upperApi.branch(id, year)
  }

  async function createBranch(name: string): Promise<void> {
    link.value = await upperApi.createBranch(name)
    await loadOverview(overview.value?.year)
  }

  async function newLink(id: string): Promise<void> {
    link.value = await upperApi.newLink(id)
  }

  return { overview, branch, link, loadOverview, loadBranch, createBranch, newLink }
})
