// @vitest-environment happy-dom
import PwaUpdatePrompt from '#app/components/pwa/PwaUpdatePrompt.vue'
import { usePwa } from '#app/composables/usePwa'
import { i18n } from '#app/i18n'
import { mount } from '@vue/test-utils'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'

/** A stand-in for workbox-window's Workbox: the test plays the service worker's lifecycle events. */
const fake = vi.hoisted(() => ({ instance: null as null | (EventTarget & { skipWaiting: number }) }))
vi.mock('workbox-window', () => ({
  Workbox: class extends EventTarget {
    skipWaiting = 0
    constructor() {
      super()
      fake.instance = this as never
    }

    async register() {}
    async update() {}
    messageSkipWaiting() {
      this.skipWaiting++
    }
  },
}))

function fire(type: string, extra: Record<string, unknown> = {}) {
  fake.instance!.dispatchEvent(Object.assign(new Event(type), extra))
}

beforeAll(() => {
  Object.defineProperty(navigator, 'serviceWorker', { value: {}, configurable: true })
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('update prompt', () => {
  function mountPrompt() {
    return mount(PwaUpdatePrompt, { props: { visible: true }, global: { plugins: [i18n] }, attachTo: document.body })
  }

  it('should not update while a field on the page holds text, and say why', async () => {
    const input = document.createElement('input')
    input.value = '参加志愿服务'
    document.body.append(input)
    const wrapper = mountPrompt()

    await wrapper.get('button.pwa-btn--primary').trigger('click')

    expect(wrapper.emitted('update')).toBeUndefined()
    expect(wrapper.text()).toContain('请先保存或清空正在填写的内容')
  })

  it('should update once the fields are empty again', async () => {
    const input = document.createElement('input')
    input.value = '参加志愿服务'
    document.body.append(input)
    const wrapper = mountPrompt()
    await wrapper.get('button.pwa-btn--primary').trigger('click')

    input.value = ''
    input.blur()
    await wrapper.get('button.pwa-btn--primary').trigger('click')

    expect(wrapper.emitted('update')).toHaveLength(1)
  })

  it('should ignore read-only text such as the invite link', async () => {
    const link = document.createElement('textarea')
    link.readOnly = true
    link.value = 'http://localhost/invite#token'
    document.body.append(link)
    const wrapper = mountPrompt()

    await wrapper.get('button.pwa-btn--primary').trigger('click')

    expect(wrapper.emitted('update')).toHaveLength(1)
  })
})

describe('usePwa', () => {
  async function setup() {
    const reload = vi.fn()
    let pwa!: ReturnType<typeof usePwa>
    const wrapper = mount(defineComponent({
      setup() {
        pwa = usePwa({ reload, enabled: true })
        return () => h('div')
      },
    }))
    await vi.waitFor(() => expect(fake.instance).not.toBeNull())
    await pwa.ready()
    return { reload, pwa, wrapper }
  }

  afterEach(() => {
    fake.instance = null
  })

  it('should not reload when the first service worker takes control by itself', async () => {
    const { reload, pwa, wrapper } = await setup()

    fire('activated', { isUpdate: false })
    fire('controlling')

    expect(reload).not.toHaveBeenCalled()
    expect(pwa.offlineReady.value).toBe(true)
    wrapper.unmount()
  })

  it('should offer a waiting version and reload only after the member taps update', async () => {
    const { reload, pwa, wrapper } = await setup()

    fire('waiting')
    await nextTick()
    expect(pwa.needRefresh.value).toBe(true)
    expect(fake.instance!.skipWaiting).toBe(0)

    pwa.update()
    expect(fake.instance!.skipWaiting).toBe(1)
    expect(reload).not.toHaveBeenCalled()
    fire('controlling')
    expect(reload).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })

  it('should keep the page when the member says later', async () => {
    const { reload, pwa, wrapper } = await setup()

    fire('waiting')
    pwa.later()
    fire('controlling')

    expect(pwa.needRefresh.value).toBe(false)
    expect(reload).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})
