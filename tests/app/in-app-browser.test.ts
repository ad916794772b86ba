import { isInAppBrowser, isWeChat } from '#app/composables/inAppBrowser'
import { describe, expect, it } from 'vitest'

const CHROME = 'Mozilla/5.0 (Linux; Android 12; V2102A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36'
const WECHAT = 'Mozilla/5.0 (Linux; Android 12; V2102A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN'
const WECOM = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.6 MicroMessenger/7.0.1 Language/zh'
const DINGTALK = 'Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0 Mobile Safari/537.36 AliApp(DingTalk/7.0.10) com.alibaba.android.rimet'
const HUAWEI = 'Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/99.0 HuaweiBrowser/13.0.4.302 Mobile Safari/537.36'

describe('in-app browsers', () => {
  it('should tell WeChat, WeCom and DingTalk from the phone\'s own browsers', () => {
    expect(isInAppBrowser(WECHAT)).toBe(true)
    expect(isWeChat(WECHAT)).toBe(true)
    expect(isInAppBrowser(WECOM)).toBe(true)
    expect(isInAppBrowser(DINGTALK)).toBe(true)
    expect(isWeChat(DINGTALK)).toBe(false)
    expect(isInAppBrowser(CHROME)).toBe(false)
    expect(isInAppBrowser(HUAWEI)).toBe(false)
  })
})
