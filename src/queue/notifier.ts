/**
 * Wake-ups between the parts of the service, and between instances when the database can carry
 * them. Every message is delivered in this process at once; with LISTEN/NOTIFY it also reaches the
 * other instances on the same PostgreSQL. Its echo on this instance's own LISTEN is dropped
 * (src/queue/ownEchoes.ts): an echo rang the claim loop for an empty claim per job. Listeners would
 * tolerate it (a wake-up, a cancel and a change notice are all idempotent), but pay for it.
 *
 * A job's change notices (`jobChanged`, `jobLogged`) go to the other instances only while one of
 * them watches the job (src/queue/watchRegistry.ts): every NOTIFY costs a commit on every listening
 * instance, and the runner announces every job it settles. A notice not sent is remembered for a
 * moment, in case a watch announced meanwhile elsewhere arrives: it is sent then.
 *
 * Messages are hints, never the only path: runners also poll, and cancel flags are also read on
 * lease renewal, so a notification lost while a connection was down delays work but loses none.
 * When the LISTEN connection comes back after a loss, `onResync` listeners look again at once.
 */
import { EventEmitter } from 'node:events'
import { channelName } from '../db/channelName.js'
import type { Database } from '../db/database.js'
import { notifyBatches, notifyEach, PAYLOAD_SEPARATOR, type RemoteMessage } from './notifyBatches.js'
import { OwnEchoes } from './ownEchoes.js'
import { RecentIds } from './recentIds.js'
import { WATCH_CHANNEL, WatchRegistry, type RemoteWatch } from './watchRegistry.js'
import type { Batcher } from '../support/batcher.js'

export interface NotifierEvents {
  /** Jobs became runnable in `queue`. */
  jobsAvailable: string
  /**
   * A job held under concurrency limits (a limited type's, or a limited queue's) ended in `queue`:
   * its place is free, for the limited claim only. Apart from `jobsAvailable` so that an instance
   * hearing it does not also look for jobs without limits, which no such end makes claimable. An
   * instance of an earlier release hears none of these: it finds the freed place at its next poll.
   */
  limitedJobEnded: string
  /** A running job's cancel was requested; its id. */
  cancelRequested: string
  /** A running job's pause was requested (`POST /v1/jobs/{id}/pause`); its id. */
  pauseRequested: string
  /** A job changed (state, progress, checkpoint); its id. */
  jobChanged: string
  /** Log lines of a job were stored: event streams send them (src/events/); its id. */
  jobLogged: string
  /** A schedule was created, changed or resumed: schedulers look again (src/schedules/scheduler.ts); its id. */
  schedulesChanged: string
  /** Jobs of `queue` become due at a later time: runners wake then (src/runner/dueTimer.ts); `queue ms`. */
  jobsDue: string
  /** A queue or job type was paused or resumed: pause boards read the table again (src/queue/pauses.ts); `kind:name`. */
  pausesChanged: string
}
export type Channel = keyof NotifierEvents

const CHANNELS = [
  'jobsAvailable',
  'limitedJobEnded',
  'cancelRequested',
  'pauseRequested',
  'jobChanged',
  'jobLogged',
  'schedulesChanged',
  'pausesChanged',
  'jobsDue',
] as const satisfies readonly Channel[]
/** The PostgreSQL channel of each in `schema`'s names (src/db/channelName.ts). */
function pgChannels(schema: string): Readonly<Record<Channel, string>> {
  return Object.fromEntries(CHANNELS.map((c) => [c, channelName(schema, c)])) as Record<Channel, string>
}

/** Notices whose payload is a job id and which only that job's watchers need. */
const isJobNotice = (channel: Channel): boolean => channel === 'jobChanged' || channel === 'jobLogged'

/** See `Notifier.awaitNotice`. */
export interface AwaitedNotice {
  /** The statement was answered: true when the notice was heard, and delivered, before it. */
  answered(): boolean
  /** The statement failed or the database sent nothing. */
  forget(): void
}

export class Notifier {
  private readonly local = new EventEmitter()
  /** Listeners of one job's changes, by job id: a change notice reaches its own watchers only. */
  private readonly jobWatchers = new Map<string, Set<() => void>>()
  private readonly unlisten: (() => Promise<void>)[] = []
  private started: Promise<void> | undefined
  /** Messages for other instances, sent one statement per batch. */
  private remote: Batcher<RemoteMessage, void> | undefined
  /** Which jobs are watched here and elsewhere: a job's notices cross only to where it is watched. */
  readonly watches: WatchRegistry
  /** Jobs whose change notice stayed here a moment ago (nobody elsewhere watched them). */
  private readonly unsent = new RecentIds()
  /** Notifications sent from here, dropped when heard back (already delivered here at publish). */
  private readonly ownEchoes = new OwnEchoes()
  private readonly resyncListeners = new Set<() => void>()
  /** Watch messages in flight; a stop waits for them. */
  private readonly watchSends = new Set<Promise<void>>()
  private listens = 0
  /** Built once: the runner announces tens of thousands of messages a second. */
  private readonly pgChannel: Readonly<Record<Channel, string>>
  private readonly watchChannel: string

  constructor(private readonly db: Database) {
    this.pgChannel = pgChannels(db.schema)
    this.watchChannel = channelName(db.schema, WATCH_CHANNEL)
    this.local.setMaxListeners(0)
    this.watches = new WatchRegistry(
      { enabled: db.capabilities.supportsListen },
      { send: (payloads) => this.sendWatches(payloads) },
    )
    this.watches.onRemoteWatch((watch) => this.sendUnsent(watch))
  }

  /** Whether other instances' messages reach this one (LISTEN/NOTIFY): a poll for what they announce can wait long. */
  get hearsOtherInstances(): boolean {
    return this.db.capabilities.supportsListen
  }

  /**
   * Whether what this instance sends comes back to it (`ownEchoes`): it listens. One that never
   * listens would count its echoes for nothing.
   */
  private get hearsOwnNotices(): boolean {
    return this.started !== undefined && this.db.capabilities.supportsListen
  }

  /** Starts listening for other instances' messages when the database supports it. Safe to call twice. */
  start(): Promise<void> {
    return (this.started ??= this.listenAll())
  }

  private async listenAll(): Promise<void> {
    if (!this.db.capabilities.supportsListen) return
    for (const channel of CHANNELS) {
      const pgChannel = this.pgChannel[channel]
      const { unlisten } = await this.db.session.listen(pgChannel, (packed) => {
        if (this.ownEchoes.take(pgChannel, packed)) return
        for (const payload of packed.split(PAYLOAD_SEPARATOR)) this.deliver(channel, payload)
      })
      this.unlisten.push(unlisten)
    }
    const { unlisten } = await this.db.session.listen(
      this.watchChannel,
      (payload) => this.watches.receive(payload),
      () => this.listened(),
    )
    this.unlisten.push(unlisten)
    // Listening now: the answers to the question `start` asks are heard.
    this.watches.start()
  }

  /** postgres.js calls this on the first LISTEN and again each time its connection is re-established. */
  private listened(): void {
    this.listens += 1
    if (this.listens === 1) return
    this.ownEchoes.clear()
    this.watches.resync()
    for (const listener of this.resyncListeners) listener()
  }

  /**
   * Calls `listener` when the LISTEN connection came back after a loss: what other instances said
   * meanwhile was lost, so whoever waits on their messages should look again now.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener)
    return () => this.resyncListeners.delete(listener)
  }

  async stop(): Promise<void> {
    this.watches.stop()
    await Promise.allSettled([...this.watchSends])
    const unlisten = this.unlisten.splice(0)
    await Promise.allSettled(unlisten.map((fn) => fn()))
    this.local.removeAllListeners()
    this.jobWatchers.clear()
    this.resyncListeners.clear()
  }

  /**
   * Delivers locally now and, where supported, to other instances. A failed NOTIFY is swallowed:
   * the polls behind every message cover for it.
   */
  async publish<C extends Channel>(channel: C, payload: NotifierEvents[C]): Promise<void> {
    this.deliver(channel, payload)
    if (!this.db.capabilities.supportsListen || !this.crosses(channel, payload)) return
    await this.remoteBatches()
      .add({ channel: this.pgChannel[channel], payload })
      .catch(() => {})
  }

  /**
   * `publish` for callers that do not wait for the NOTIFY (the runner announces every settled job):
   * no promise is made per message, and a failed batch is swallowed the same way.
   */
  announce<C extends Channel>(channel: C, payload: NotifierEvents[C]): void {
    this.deliver(channel, payload)
    if (this.db.capabilities.supportsListen && this.crosses(channel, payload)) {
      this.remoteBatches().send({ channel: this.pgChannel[channel], payload })
    }
  }

  /** Whether a message goes to the other instances: all do but a job's notices nobody elsewhere watches. */
  private crosses<C extends Channel>(channel: C, payload: NotifierEvents[C]): boolean {
    if (!isJobNotice(channel) || this.watches.isWatchedElsewhere(payload)) return true
    if (channel === 'jobChanged') this.unsent.add(payload)
    return false
  }

  /** Another instance began watching jobs whose notice stayed here a moment ago: it is sent now. */
  private sendUnsent(watch: RemoteWatch): void {
    if (!this.db.capabilities.supportsListen) return
    const ids = watch === 'all' ? this.unsent.all() : this.unsent.recent(watch.ids)
    for (const payload of ids) this.remoteBatches().send({ channel: this.pgChannel.jobChanged, payload })
  }

  private sendWatches(payloads: readonly string[]): void {
    if (!this.db.capabilities.supportsListen) return
    const sent = notifyEach(this.db.sql, this.watchChannel, payloads).catch(() => {})
    this.watchSends.add(sent)
    void sent.finally(() => this.watchSends.delete(sent))
  }

  private remoteBatches(): Batcher<RemoteMessage, void> {
    return (this.remote ??= notifyBatches(this.db.sql, {
      sending: (packed) => this.hearsOwnNotices && this.ownEchoes.expect(packed),
      failed: (packed) => this.ownEchoes.forget(packed),
    }))
  }

  /**
   * A notification the database itself will send for a statement of this instance (the insert
   * trigger's `jobsAvailable`, migrations 007 and 026), delivered here by neither yet. Call it before
   * the statement goes out. Once its answer is read, `answered()` says whether the notice was heard
   * first (and delivered then); if not, the caller delivers it now and its echo is dropped when heard
   * (src/queue/ownEchoes.ts). `forget()` if the statement failed or the database sent nothing.
   * Undefined where nothing is heard back (no LISTEN): the caller delivers.
   */
  awaitNotice<C extends Channel>(channel: C, payload: NotifierEvents[C]): AwaitedNotice | undefined {
    if (!this.hearsOwnNotices) return undefined
    const notification = { channel: this.pgChannel[channel], payload }
    this.ownEchoes.await(notification)
    return {
      answered: () => this.ownEchoes.answered(notification),
      forget: () => this.ownEchoes.forgetAwaited(notification),
    }
  }

  /**
   * Delivers in this process only: for hints cheap to lose elsewhere, where a NOTIFY per message
   * would cost a statement on the hot path (other instances' listeners fall back to their polls).
   */
  publishLocal<C extends Channel>(channel: C, payload: NotifierEvents[C]): void {
    this.deliver(channel, payload)
  }

  subscribe<C extends Channel>(channel: C, listener: (payload: NotifierEvents[C]) => void): () => void {
    this.local.on(channel, listener)
    return () => this.local.off(channel, listener)
  }

  /**
   * Calls `listener` on each change notice of job `id`. A long-poll watches one job while a busy
   * runner announces tens of thousands of changes a second: looked up by id, each notice costs the
   * same however many long-polls are open, where a `subscribe('jobChanged')` per long-poll would
   * call every one of them for every notice. The job counts as watched here (`watches`), so other
   * instances send its notices while the long-poll lasts.
   */
  watchJob(id: string, listener: () => void): () => void {
    let watchers = this.jobWatchers.get(id)
    if (!watchers) this.jobWatchers.set(id, (watchers = new Set()))
    watchers.add(listener)
    const unwatch = this.watches.watch(id)
    return () => {
      unwatch()
      watchers.delete(listener)
      if (watchers.size === 0 && this.jobWatchers.get(id) === watchers) this.jobWatchers.delete(id)
    }
  }

  private deliver<C extends Channel>(channel: C, payload: NotifierEvents[C]): void {
    this.local.emit(channel, payload)
    if (channel !== 'jobChanged') return
    const watchers = this.jobWatchers.get(payload)
    if (watchers) for (const listener of watchers) listener()
  }
}
