/** Points with their sign, as the screens and the sheet show them: +5, -3, 0. */
export function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${n}`
}
