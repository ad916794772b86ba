import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  // Formatting is ESLint's job here too (no Prettier); JSON locale files are sorted by key.
  ignores: ['dist', 'data', 'tmp', 'coverage', 'public/**/*.js'],
}, {
  files: ['src/app/locales/*.json'],
  rules: {
    'jsonc/sort-keys': 'error',
  },
}, {
  // TypeBox idiom: a schema and its Static<> type share one name, so imports stay short.
  files: ['src/shared/schemas/**/*.ts'],
  rules: {
    'ts/no-redeclare': 'off',
  },
}, {
  // Servers and scripts talk to their operator on stdout.
  files: ['src/server/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts'],
  rules: {
    'no-console': 'off',
    'node/prefer-global/process': 'off',
    'node/prefer-global/buffer': 'off',
  },
}, {
  // One data path per feature (issue 11): a component or page reaches data only through its
  // feature's store or composable, never the API client, IndexedDB, the outbox or fetch itself,
  // so offline, sync and errors are handled in one place. (errorText only words an error.)
  files: ['src/app/**/*.vue'],
  // Components not yet moved onto their feature's store or composable; this list only shrinks.
  ignores: [
    'src/app/components/admin/AdminGroupList.vue',
    'src/app/components/admin/AdminGroupRename.vue',
    'src/app/components/admin/AdminMemberActions.vue',
    'src/app/components/admin/AdminMemberForm.vue',
    'src/app/components/admin/AdminMemberList.vue',
    'src/app/components/auth/AuthInviteForm.vue',
    'src/app/components/auth/AuthLoginForm.vue',
    'src/app/components/auth/AuthPasswordForm.vue',
    'src/app/components/auth/AuthSetupForm.vue',
    'src/app/components/checkin/CheckinCodeForm.vue',
    'src/app/components/checkin/CheckinMeetings.vue',
    'src/app/components/home/HomeDueNotice.vue',
    'src/app/components/home/HomeOverdueCard.vue',
    'src/app/components/meetings/MeetingsAttendance.vue',
    'src/app/components/meetings/MeetingsDetail.vue',
    'src/app/components/meetings/MeetingsEditor.vue',
    'src/app/components/meetings/MeetingsList.vue',
    'src/app/components/meetings/MeetingsMinutes.vue',
    'src/app/components/meetings/MeetingsScreen.vue',
    'src/app/components/organizer/OrganizerAdjust.vue',
    'src/app/components/organizer/OrganizerAudit.vue',
    'src/app/components/organizer/OrganizerMemberPoints.vue',
    'src/app/components/organizer/OrganizerMembers.vue',
    'src/app/components/organizer/OrganizerSettings.vue',
    'src/app/components/organizer/OrganizerVetoForm.vue',
    'src/app/components/photos/PhotosThumbs.vue',
    'src/app/components/points/PointsReturnForm.vue',
    'src/app/components/points/PointsReview.vue',
    'src/app/components/points/PointsRuleForm.vue',
    'src/app/components/points/PointsRulesEditor.vue',
    'src/app/components/points/PointsScreen.vue',
    'src/app/components/points/PointsSheet.vue',
    'src/app/components/sync/SyncFailedItem.vue',
    'src/app/components/sync/SyncFailedList.vue',
    'src/app/components/sync/SyncPhoneEditor.vue',
  ],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: '(^|/)api(/(?!errors$)[^/]+)?$|-api$', message: 'Components reach the API through their feature\'s store or composable.' },
        { group: ['idb', '**/db', '**/db/*'], message: 'Components reach IndexedDB through their feature\'s store or composable.' },
        { group: ['**/sync/write', '**/sync/engine', '**/sync/transport', '**/sync/runner'], message: 'Components queue writes through their feature\'s store or composable.' },
      ],
    }],
    'no-restricted-globals': ['error', { name: 'fetch', message: 'Components reach the API through their feature\'s store or composable.' }, { name: 'indexedDB', message: 'Components reach IndexedDB through their feature\'s store or composable.' }],
  },
})
