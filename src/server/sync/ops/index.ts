import { registerOp } from '../registry'
import { profileUpdateHandler } from './profile'

/** The foundation's op types. Features register theirs the same way, from their own route plugins. */
export function registerFoundationOps(): void {
  registerOp(profileUpdateHandler)
}
