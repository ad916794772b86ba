/**
 * What the admin should be told about an invite link before sending it (issue 16 point 5):
 * 'localhost' when it points at this computer — no phone can open it; 'noPublicUrl' when the
 * server has no PUBLIC_URL, so the link uses whatever address the admin's browser used (fine on
 * the branch's Wi-Fi, wrong for a member at home); null when it is the configured public address.
 */
export type InviteLinkWarning = 'localhost' | 'noPublicUrl' | null

export function inviteLinkWarning(url: string, publicUrlSet: boolean): InviteLinkWarning {
  let hostname: string
  try {
    hostname = new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  }
  catch {
    return publicUrlSet ? null : 'noPublicUrl'
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1' || hostname.startsWith('127.') || hostname === '0.0.0.0')
    return 'localhost'
  return publicUrlSet ? null : 'noPublicUrl'
}
