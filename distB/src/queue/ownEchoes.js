const DEFAULT_MAX_SIZE = 10_000;
export class OwnEchoes {
    maxSize;
    /** Delivered here already: dropped when heard. */
    expected = new Counts();
    /** The database will send them for a statement not answered yet: nothing delivered here. */
    awaited = new Counts();
    /** Of those, heard (and delivered) before their statement's answer. */
    early = new Counts();
    constructor(maxSize = DEFAULT_MAX_SIZE) {
        this.maxSize = maxSize;
    }
    /** These notifications are about to be sent; they are delivered here already. */
    expect(sent) {
        this.makeRoom(sent.length);
        for (const { channel, payload } of sent)
            this.expected.add(keyOf(channel, payload));
    }
    /** Their statement failed: none of them will be heard. */
    forget(sent) {
        for (const { channel, payload } of sent)
            this.expected.take(keyOf(channel, payload));
    }
    /** The database will send this notification for a statement about to go out; nothing was delivered here. */
    await(notification) {
        this.makeRoom(1);
        this.awaited.add(keyOf(notification.channel, notification.payload));
    }
    /**
     * The statement of an awaited notification was answered: whether the notification was heard, and
     * so delivered, already. If not, the caller delivers it now and its echo is dropped when heard.
     */
    answered(notification) {
        const key = keyOf(notification.channel, notification.payload);
        if (this.early.take(key))
            return true;
        this.awaited.take(key);
        this.expected.add(key);
        return false;
    }
    /** The statement of an awaited notification failed or sent nothing. */
    forgetAwaited(notification) {
        const key = keyOf(notification.channel, notification.payload);
        if (!this.early.take(key))
            this.awaited.take(key);
    }
    /**
     * Whether this notification, just heard, is one of the own ones to drop (counted off as heard).
     * An awaited one is not dropped: it is the first of its two ways here, and is delivered.
     */
    take(channel, payload) {
        const key = keyOf(channel, payload);
        if (this.expected.take(key))
            return true;
        if (this.awaited.take(key))
            this.early.add(key);
        return false;
    }
    /** The LISTEN connection was lost and is back: echoes of what was sent meanwhile will not come. */
    clear() {
        this.expected.clear();
        this.awaited.clear();
        this.early.clear();
    }
    get size() {
        return this.expected.size + this.awaited.size + this.early.size;
    }
    makeRoom(count) {
        if (this.size + count > this.maxSize)
            this.clear();
    }
}
/** A multiset of keys. */
class Counts {
    counts = new Map();
    add(key) {
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    /** Counts one off; false when there was none. */
    take(key) {
        const count = this.counts.get(key);
        if (count === undefined)
            return false;
        if (count === 1)
            this.counts.delete(key);
        else
            this.counts.set(key, count - 1);
        return true;
    }
    clear() {
        this.counts.clear();
    }
    get size() {
        return this.counts.size;
    }
}
/** A channel name holds no NUL, so the pair is unambiguous. */
const keyOf = (channel, payload) => `${channel}\u0000${payload}`;
//# sourceMappingURL=ownEchoes.js.map