import type { Migration } from 'kysely'
import * as foundation from './2026_11_28_0001_foundation'
import * as points from './2026_11_28_0400_points'
import * as meetings from './2026_11_28_0500_meetings'
import * as pledges from './2026_11_28_0600_pledges'
import * as photos from './2026_11_28_0700_photos'
import * as syncScope from './2026_11_28_0810_sync_scope'
import * as loginFailure from './2026_12_02_1200_login_failure'
import * as checkinFlagReason from './2026_12_02_1300_checkin_flag_reason'
import * as retention from './2026_12_02_1500_retention'
import * as pledgeSource from './2026_12_02_1700_pledge_source'
import * as reviews from './2026_12_03_0900_reviews'
import * as appraisalCommendation from './2026_12_03_0910_appraisal_commendation'
import * as groupReview from './2026_12_03_1200_group_review'
import * as commendationLevel from './2026_12_03_1400_commendation_level'
import * as checkinKeys from './2026_12_03_1500_checkin_keys'
import * as memberJoinedOn from './2026_12_03_1700_member_joined_on'
import * as upperOrg from './2026_12_03_1800_upper_org'
import * as changeLogScope from './2026_12_03_1810_change_log_scope'
import * as branchAssessment from './2026_12_03_1820_branch_assessment'
import * as upperFigures from './2026_12_03_1900_upper_figures'
import * as changeLogPartialIndexes from './2026_12_03_2100_change_log_partial_indexes'

/** Listed explicitly (not read from disk) so tsx, Vitest and a bundle all see the same set. Keep names sortable. */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_foundation': foundation,
  '2026_11_28_0400_points': points,
  '2026_11_28_0500_meetings': meetings,
  '2026_11_28_0600_pledges': pledges,
  '2026_11_28_0700_photos': photos,
  '2026_11_28_0810_sync_scope': syncScope,
  '2026_12_02_1200_login_failure': loginFailure,
  '2026_12_02_1300_checkin_flag_reason': checkinFlagReason,
  '2026_12_02_1500_retention': retention,
  '2026_12_02_1700_pledge_source': pledgeSource,
  '2026_12_03_0900_reviews': reviews,
  '2026_12_03_0910_appraisal_commendation': appraisalCommendation,
  '2026_12_03_1700_member_joined_on': memberJoinedOn,
  '2026_12_03_1500_checkin_keys': checkinKeys,
  '2026_12_03_1200_group_review': groupReview,
  '2026_12_03_1400_commendation_level': commendationLevel,
  '2026_12_03_1800_upper_org': upperOrg,
  '2026_12_03_1810_change_log_scope': changeLogScope,
  '2026_12_03_1820_branch_assessment': branchAssessment,
  '2026_12_03_1900_upper_figures': upperFigures,
  '2026_12_03_2100_change_log_partial_indexes': changeLogPartialIndexes,
}
