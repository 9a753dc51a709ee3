/**
 * Cluster-wide pauses as the admin routes use them: pause or resume a queue or a job type, stored
 * (so every instance, and every later start, honours it) and announced, so that every instance's
 * pause board reads it at once (src/queue/pauses.ts). Pausing something the service does not know
 * is refused: a typo must not silently pause nothing.
 */
import type { Notifier } from './notifier.js'
import type { PauseBoard } from './pauses.js'
import type { Pause, PauseKind, PauseMode, PauseStore } from './pauseStore.js'

/** The queue or job type named is not one this service knows. */
export class UnknownPauseTargetError extends Error {
  override name = 'UnknownPauseTargetError'
  constructor(
    readonly kind: PauseKind,
    readonly target: string,
  ) {
    super(`no ${kind === 'queue' ? 'queue' : 'job type'} named ${JSON.stringify(target)} is known`)
  }
}

export interface PauseServiceDependencies {
  store: PauseStore
  board: PauseBoard
  notifier: Pick<Notifier, 'publish'>
  /** A job type is known when a job file defines it. */
  isKnownType: (type: string) => boolean
  /** A queue is known when declared, served by a live instance, or holding queued jobs. */
  isKnownQueue: (queue: string) => Promise<boolean>
}

export interface PauseState {
  kind: PauseKind
  name: string
  paused: boolean
  mode: PauseMode | null
  pausedAt: string | null
}

export class PauseService {
  constructor(private readonly deps: PauseServiceDependencies) {}

  list(): Promise<Pause[]> {
    return this.deps.store.listPauses()
  }

  /** Pauses a queue or a job type on every instance; `checkpoint` also stops their running jobs. */
  async pause({ kind, name, mode }: { kind: PauseKind; name: string; mode: PauseMode }): Promise<PauseState> {
    await this.refuseUnknown(kind, name)
    const pause = await this.deps.store.pause({ kind, name, mode })
    await this.announce(kind, name)
    return { kind, name, paused: true, mode: pause.mode, pausedAt: pause.pausedAt }
  }

  /** Resumes it; resuming what is not paused answers `paused: false` all the same. */
  async resume({ kind, name }: { kind: PauseKind; name: string }): Promise<PauseState> {
    const wasPaused = await this.deps.store.resume({ kind, name })
    if (!wasPaused) await this.refuseUnknown(kind, name)
    else await this.announce(kind, name)
    return { kind, name, paused: false, mode: null, pausedAt: null }
  }

  private async refuseUnknown(kind: PauseKind, name: string): Promise<void> {
    const known = kind === 'type' ? this.deps.isKnownType(name) : await this.deps.isKnownQueue(name)
    if (!known) throw new UnknownPauseTargetError(kind, name)
  }

  /**
   * Every instance's board reads the table again (this one's before the answer goes out, so a claim
   * here never follows a pause it answered); runners wake, for the work a resume gives back.
   */
  private async announce(kind: PauseKind, name: string): Promise<void> {
    await this.deps.notifier.publish('pausesChanged', `${kind}:${name}`)
    await this.deps.board.refresh()
  }
}
