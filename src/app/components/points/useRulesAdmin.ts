import type { Rule, RuleBody } from '#shared/points/schemas'
import { ref } from 'vue'
import { api, get, post } from '../../api/client'

/**
 * 规则 (branch admin), online: the branch's rules as the server has them now (retired ones too),
 * added, edited (the server stores a new version; points already granted never change) or retired.
 */
export function useRulesAdmin() {
  const rules = ref<Rule[]>([])

  async function load(): Promise<void> {
    rules.value = (await get<{ rules: Rule[] }>('/points/rules')).rules
  }

  /** Adds a rule (rule null) or edits one. */
  async function save(rule: Rule | null, body: RuleBody): Promise<void> {
    await (rule ? api('PUT', `/points/rules/${rule.id}`, body) : api('POST', '/points/rules', body))
  }

  async function retire(rule: Rule): Promise<void> {
    await post(`/points/rules/${rule.id}/retire`)
    await load()
  }

  return { rules, load, save, retire }
}
