import { Batcher } from '../support/batcher.js';
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_000;
export const PAYLOAD_SEPARATOR = ',';
export function notifyBatches(sql, sent) {
    return new Batcher(async (messages) => {
        const packed = packMessages(messages);
        // One JSON document rather than array parameters: the connection does not fetch array types.
        const pairs = packed.map((m) => [m.channel, m.payload]);
        sent?.sending(packed);
        try {
            await sql `select pg_notify(m ->> 0, m ->> 1) from jsonb_array_elements(${sql.json(pairs)}) with ordinality as x(m, n) order by n`;
        }
        catch (error) {
            sent?.failed(packed);
            throw error;
        }
    });
}
/** Sends each payload as a notification of its own on `channel`, in one statement (for payloads that must not be packed). */
export async function notifyEach(sql, channel, payloads) {
    if (payloads.length === 0)
        return;
    await sql `select pg_notify(${channel}, p) from jsonb_array_elements_text(${sql.json(payloads)}) as x(p)`;
}
/** One message per channel and up to `MAX_PAYLOAD_BYTES`, payloads joined in the order published. */
export function packMessages(messages) {
    const byChannel = new Map();
    for (const { channel, payload } of messages) {
        let payloads = byChannel.get(channel);
        if (!payloads)
            byChannel.set(channel, (payloads = new Set()));
        payloads.add(payload);
    }
    const packed = [];
    for (const [channel, payloads] of byChannel) {
        let current = '';
        for (const payload of payloads) {
            if (current !== '' && current.length + 1 + payload.length > MAX_PAYLOAD_BYTES) {
                packed.push({ channel, payload: current });
                current = '';
            }
            current = current === '' ? payload : current + PAYLOAD_SEPARATOR + payload;
        }
        if (current !== '')
            packed.push({ channel, payload: current });
    }
    return packed;
}
//# sourceMappingURL=notifyBatches.js.map