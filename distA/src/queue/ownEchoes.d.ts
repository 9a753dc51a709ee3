/**
 * The notifications this instance sent and is about to hear again. PostgreSQL delivers a NOTIFY to
 * every listening session, the sender's own LISTEN connection included, but the notifier already
 * delivered the message here when it was published. Heard twice, a `jobsAvailable` rang the claim
 * loop twice: an idle runner made three claims per job, two of them empty (one for the echo, one
 * for the settle), each a statement and a commit, and garbage for the next scavenge.
 *
 * PostgreSQL's notification carries the sender's backend pid, but postgres.js does not pass it on,
 * so an echo is known by its exact channel and payload instead: each sent notification is counted
 * here before its statement goes out, and the first one heard with the same channel and payload is
 * dropped. Another instance's identical message may be dropped in its place; the own one, heard
 * then, is delivered instead, so what reaches the listeners is the same (every message is a hint).
 * A send that failed is forgotten again. The count is cleared when the LISTEN connection comes back
 * (echoes sent meanwhile were lost with it), and when it grows past `maxSize` (echoes that never
 * arrived): the cost of a wrong count is one wake-up, never a lost one past the next poll.
 *
 * A notification the database sends for a statement of this instance (the insert trigger's
 * `jobsAvailable`) is different: nothing was delivered here when it went out, and it is sent at the
 * commit, so it may be heard before the statement's answer is read. Whichever comes first wakes
 * this instance, and only that one:
 *
 *     awaited ──heard first──▶ early      (delivered when heard; its answer then delivers nothing)
 *        │
 *        └──answered first──▶ expected    (the caller delivers; the echo is dropped when heard)
 *
 * Waiting for the answer held the claim back until then, though the notice often came first (in
 * 58 % of 300 direct enqueues one at a time); what that gains P2 is inside its spread
 * (bench/RESULTS.md, issue 16).
 */
export interface Notification {
    channel: string;
    payload: string;
}
export declare class OwnEchoes {
    private readonly maxSize;
    /** Delivered here already: dropped when heard. */
    private readonly expected;
    /** The database will send them for a statement not answered yet: nothing delivered here. */
    private readonly awaited;
    /** Of those, heard (and delivered) before their statement's answer. */
    private readonly early;
    constructor(maxSize?: number);
    /** These notifications are about to be sent; they are delivered here already. */
    expect(sent: readonly Notification[]): void;
    /** Their statement failed: none of them will be heard. */
    forget(sent: readonly Notification[]): void;
    /** The database will send this notification for a statement about to go out; nothing was delivered here. */
    await(notification: Notification): void;
    /**
     * The statement of an awaited notification was answered: whether the notification was heard, and
     * so delivered, already. If not, the caller delivers it now and its echo is dropped when heard.
     */
    answered(notification: Notification): boolean;
    /** The statement of an awaited notification failed or sent nothing. */
    forgetAwaited(notification: Notification): void;
    /**
     * Whether this notification, just heard, is one of the own ones to drop (counted off as heard).
     * An awaited one is not dropped: it is the first of its two ways here, and is delivered.
     */
    take(channel: string, payload: string): boolean;
    /** The LISTEN connection was lost and is back: echoes of what was sent meanwhile will not come. */
    clear(): void;
    get size(): number;
    private makeRoom;
}
