import type { EvaluateBody, Pledge } from '#shared/pledges/schemas'
import type { BranchDetail, BranchSetupLink, Overview } from '#shared/schemas/upper'
import type { AssessmentDetail, AssessmentRatingBody, AssessmentSummary } from '#shared/upper/assessment-schemas'
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

  // 支部争先 (issue 14 point 4): the organization's periodic rating of each branch, online.
  const assessments = ref<AssessmentSummary[] | null>(null)
  const assessment = ref<AssessmentDetail | null>(null)
  /** The drilled-into branch's pledges to the organization (评诺 is the organization's). */
  const branchPledges = ref<Pledge[] | null>(null)

  async function loadAssessments(): Promise<void> {
    assessments.value = (await upperApi.assessments()).assessments
  }

  async function createAssessment(period: string): Promise<AssessmentSummary> {
    const made = await upperApi.createAssessment(period)
    await loadAssessments()
    return made
  }

  async function loadAssessment(id: string): Promise<void> {
    assessment.value = null
    assessment.value = await upperApi.assessment(id)
  }

  /** Saves one branch's rating and puts the server's answer in its card (the overall it computed). */
  async function rateBranch(id: string, branchId: string, body: AssessmentRatingBody): Promise<void> {
    const rating = await upperApi.rate(id, branchId, body)
    const detail = assessment.value
    if (detail?.assessment.id !== id)
      return
    const row = detail.branches.find(b => b.figures.id === branchId)
    if (row) {
      if (!row.rating)
        detail.assessment.rated += 1
      row.rating = rating
    }
  }

  async function closeAssessment(id: string): Promise<void> {
    await upperApi.close(id)
    await loadAssessment(id)
  }

  async function loadBranchPledges(branchId: string): Promise<void> {
    branchPledges.value = null
    branchPledges.value = await upperApi.branchPledges(branchId)
  }

  async function evaluateBranchPledge(branchId: string, pledgeId: string, body: EvaluateBody): Promise<void> {
    const { pledge } = await upperApi.evaluate(branchId, pledgeId, body)
    if (branchPledges.value)
      branchPledges.value = branchPledges.value.map(p => p.id === pledge.id ? pledge : p)
  }

  return { overview, branch, link, loadOverview, loadBranch, createBranch, newLink, assessments, assessment, branchPledges, loadAssessments, createAssessment, loadAssessment, rateBranch, closeAssessment, loadBranchPledges, evaluateBranchPledge }
})
