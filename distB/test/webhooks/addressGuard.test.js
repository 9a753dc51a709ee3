/**
 * Which addresses a webhook may reach: loopback, link-local, private, shared, multicast and
 * unspecified ones refused (IPv4, IPv6 and IPv4-mapped IPv6), public ones allowed, and a refused one
 * allowed when its host or its address is in WEBHOOK_ALLOWED_HOSTS. No traffic: only the decision.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressGuard } from '../../src/webhooks/addressGuard.js';
describe('AddressGuard', () => {
    const guard = new AddressGuard([]);
    it('refuses loopback, link-local, private, shared, multicast and unspecified addresses', () => {
        for (const address of [
            '127.0.0.1',
            '127.1.2.3',
            '10.1.2.3',
            '172.16.0.1',
            '172.31.255.255',
            '192.168.1.1',
            '169.254.169.254',
            '100.64.0.1',
            '0.0.0.0',
            '224.0.0.1',
            '::1',
            '::',
            'fe80::1',
            'fd00::1',
            'ff02::1',
            '::ffff:127.0.0.1',
            '::ffff:10.0.0.1',
        ]) {
            assert.match(guard.refusal('host.test', address) ?? '', /WEBHOOK_ALLOWED_HOSTS/, address);
        }
    });
    it('allows public addresses', () => {
        for (const address of ['93.184.216.34', '172.32.0.1', '2606:2800:220:1::1', '8.8.8.8']) {
            assert.equal(guard.refusal('host.test', address), undefined, address);
        }
    });
    it('allows a refused address when its host or the address itself is listed', () => {
        const listed = new AddressGuard(['127.0.0.1', 'hooks.internal', '[::1]']);
        assert.equal(listed.refusal('127.0.0.1', '127.0.0.1'), undefined);
        assert.equal(listed.refusal('hooks.internal', '10.0.0.7'), undefined);
        assert.equal(listed.refusal('::1', '::1'), undefined);
        assert.ok(listed.refusal('other.internal', '10.0.0.7'));
    });
});
//# sourceMappingURL=addressGuard.test.js.map