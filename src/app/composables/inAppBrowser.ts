/**
 * In-app browsers (WeChat's first: members open their invite link there) cannot install the app
 * and may clear what it keeps offline; the member should open the link in the phone's browser.
 * Matched on the user agent each app adds: MicroMessenger (WeChat, incl. WeCom's wxwork), QQ's
 * own browser inside QQ, Weibo, DingTalk, Alipay, Feishu/Lark, Douyin/TikTok, Facebook, Instagram, LINE.
 */
const IN_APP = /MicroMessenger|wxwork|\bQQ\/|Weibo|DingTalk|AlipayClient|Lark\/|Feishu|aweme|BytedanceWebview|FBAN|FBAV|Instagram|\bLine\//i

export function isInAppBrowser(userAgent = typeof navigator === 'undefined' ? '' : navigator.userAgent): boolean {
  return IN_APP.test(userAgent)
}

/** WeChat itself: its menu is 右上角 ··· → 在浏览器打开; other apps word it a little differently. */
export function isWeChat(userAgent = typeof navigator === 'undefined' ? '' : navigator.userAgent): boolean {
  return /MicroMessenger|wxwork/i.test(userAgent)
}
