// @vitest-environment happy-dom
import AdminLinkWarning from '#app/components/admin/AdminLinkWarning.vue'
import { i18n } from '#app/i18n'
import { inviteLinkWarning } from '#shared/org/invite-link'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

/* Issue 16 point 5: the invite screen warns before the admin sends a link no phone can open. */
const warn = (url: string, publicUrlSet: boolean) => mount(AdminLinkWarning, { props: { url, publicUrlSet }, global: { plugins: [i18n] } })

describe('the invite link warning', () => {
  it('should say a localhost link cannot be opened by phones and name PUBLIC_URL=https://… to set', () => {
    const note = warn('http://localhost:8080/invite#abc', false)
    expect(note.find('[data-testid=invite-link-warning]').exists()).toBe(true)
    expect(note.text()).toContain('这个链接手机打不开')
    expect(note.text()).toContain('localhost')
    expect(note.text()).toContain('PUBLIC_URL=https://…')
    // Even with PUBLIC_URL set, a loopback link is still one no phone opens.
    expect(inviteLinkWarning('http://127.0.0.1:8080/invite#abc', true)).toBe('localhost')
    expect(inviteLinkWarning('http://[::1]:8080/invite#abc', true)).toBe('localhost')
  })

  it('should warn that PUBLIC_URL is unset when the link uses the address the admin happened to open', () => {
    const note = warn('http://192.168.1.5:8080/invite#abc', false)
    expect(note.text()).toContain('服务器没有设置 PUBLIC_URL')
    expect(note.text()).toContain('http://192.168.1.5:8080')
    expect(note.text()).toContain('PUBLIC_URL=https://…')
  })

  it('should say nothing for a link on the configured public address', () => {
    expect(warn('https://xf.example.org/invite#abc', true).find('[data-testid=invite-link-warning]').exists()).toBe(false)
    expect(inviteLinkWarning('https://xf.example.org/invite#abc', true)).toBeNull()
  })
})
