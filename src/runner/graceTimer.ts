/**
 * The stop deadline, which a later, stricter stop may bring forward. `reserveReached` resolves a
 * little before it: the time kept back to write abandoned jobs' checkpoints and deregister.
 */
export class GraceTimer {
  private timer: NodeJS.Timeout | undefined
  private resolveReserve!: () => void
  readonly reserveReached = new Promise<void>((resolve) => (this.resolveReserve = resolve))

  constructor(private deadlineAt: number) {
    this.arm()
  }

  remainingMs(): number {
    return Math.max(0, this.deadlineAt - Date.now())
  }

  tighten(deadlineAt: number): void {
    if (deadlineAt >= this.deadlineAt) return
    this.deadlineAt = deadlineAt
    this.arm()
  }

  private arm(): void {
    clearTimeout(this.timer)
    if (!Number.isFinite(this.deadlineAt)) return
    const remaining = this.remainingMs()
    const reserveMs = Math.min(2000, remaining * 0.25)
    this.timer = setTimeout(() => this.resolveReserve(), Math.max(0, remaining - reserveMs))
    this.timer.unref()
  }
}
