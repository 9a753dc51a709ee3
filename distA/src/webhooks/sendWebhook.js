/**
 * Sends one webhook request, safely: POST with a JSON body over node:http(s); no redirect is
 * followed (a 3xx is an answer like any other: the delivery is retried); connect and response
 * together within `timeoutMs`; at most `maxResponseBytes` of the answer kept; the address connected
 * to is checked by `AddressGuard` inside the DNS lookup the connection itself uses (an IP literal is
 * checked before connecting, since no lookup happens for it).
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
export class RefusedAddressError extends Error {
    name = 'RefusedAddressError';
}
export async function sendWebhook({ url, body, headers, guard, timeoutMs, maxResponseBytes, }) {
    const target = new URL(url);
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname)) {
        const refusal = guard.refusal(hostname, hostname);
        if (refusal)
            return { status: null, response: null, error: refusal, refused: true };
    }
    const lookup = (host, options, callback) => {
        dnsLookup(host, { ...options, all: true }, (error, addresses) => {
            if (error)
                return callback(error);
            const refusal = addresses.map((a) => guard.refusal(host, a.address)).find((r) => r !== undefined);
            if (refusal)
                return callback(new RefusedAddressError(refusal));
            if (options.all)
                return callback(null, addresses);
            callback(null, addresses[0].address, addresses[0].family);
        });
    };
    const client = target.protocol === 'https:' ? https : http;
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve) => {
        const request = client.request(target, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'job-runner-webhooks', ...headers },
            lookup: lookup,
            signal,
        }, (response) => {
            const chunks = [];
            let kept = 0;
            response.on('data', (chunk) => {
                if (kept >= maxResponseBytes)
                    return response.destroy();
                chunks.push(chunk.subarray(0, maxResponseBytes - kept));
                kept += Math.min(chunk.length, maxResponseBytes - kept);
            });
            const done = () => resolve({ status: response.statusCode ?? null, response: Buffer.concat(chunks).toString('utf8') });
            response.on('end', done);
            response.on('close', done);
            response.on('error', done);
        });
        request.on('error', (error) => {
            const refused = error instanceof RefusedAddressError;
            const message = signal.aborted ? `no answer within ${timeoutMs} ms` : error.message;
            resolve({ status: null, response: null, error: message, ...(refused ? { refused } : {}) });
        });
        request.end(body);
    });
}
//# sourceMappingURL=sendWebhook.js.map