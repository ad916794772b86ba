import type { Words } from '../errors/words'

/**
 * Logging in, first setup, invites and sessions: refusals merged into the shared catalog
 * (src/shared/errors/catalog.ts). Rate limits answer RATE_LIMITED with one of the *_TOO_MANY
 * reasons and the wait in seconds (`{wait:duration}`).
 */
export const AUTH_ERRORS = {
  WRONG_LOGIN: { zh: '登录名或密码不正确', en: 'Wrong login name or password' },
  WRONG_PASSWORD: { zh: '当前密码不正确', en: 'The current password is wrong' },
  SAME_PASSWORD: { zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  LOGIN_TOO_MANY_ADDRESS: { zh: '此网络地址登录失败次数过多，请 {wait:duration}后再试', en: 'Too many failed logins from your network address; try again in {wait:duration}' },
  LOGIN_TOO_MANY_ACCOUNT: { zh: '该账号在此网络地址登录失败次数过多，请 {wait:duration}后再试', en: 'Too many failed logins to this account from your network address; try again in {wait:duration}' },
  PASSWORD_TOO_MANY: { zh: '当前密码输错次数过多，请 {wait:duration}后再试', en: 'Too many wrong current passwords; try again in {wait:duration}' },
  LINK_TOO_MANY: { zh: '此网络地址打开无效链接的次数过多，请 {wait:duration}后再试', en: 'Too many invalid links from your network address; try again in {wait:duration}' },
  BUSY: { zh: '服务器正忙，请 {wait:duration}后再试', en: 'The server is busy; try again in {wait:duration}' },
  CSRF: { zh: '缺少请求头 {header}: 1', en: 'Missing the {header} header' },
  PUBLIC_URL_NEEDED: { zh: '无法生成链接：请求中的主机名不是本服务器自己的地址。请设置 PUBLIC_URL（例如 https://xf.example.org）后重启服务器', en: 'Cannot make the link: the request\'s host name is not one of this server\'s own addresses. Set PUBLIC_URL (e.g. https://xf.example.org) and restart the server' },
  // First setup
  ALREADY_SET_UP: { zh: '先锋已经完成初始设置，请直接登录', en: 'Setup is already done; log in instead' },
  SETUP_TOKEN_USED: { zh: '该设置链接已使用过', en: 'This setup link was already used' },
  SETUP_TOKEN_INVALID: { zh: '设置链接无效，请使用服务器启动时打印的链接', en: 'This setup link is not valid; use the one the server printed' },
  SETUP_TOKEN_EXPIRED: { zh: '设置链接已过期，请运行 npm run setup-link 获取新链接', en: 'This setup link expired; run npm run setup-link for a new one' },
  // Invites
  INVITE_INVALID: { zh: '邀请链接无效，请向支部管理员索取新链接', en: 'This invite link is not valid; ask your branch admin for a new one' },
  INVITE_USED: { zh: '该邀请链接已使用过，请直接登录或索取新链接', en: 'This invite was already used; log in, or ask for a new one' },
  INVITE_EXPIRED: { zh: '邀请链接已过期，请向支部管理员索取新链接', en: 'This invite has expired; ask your branch admin for a new one' },
  MEMBER_INACTIVE: { zh: '该账号已停用', en: 'This account is deactivated' },
} as const satisfies Record<string, Words>
