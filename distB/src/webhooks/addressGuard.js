/**
 * Which addresses a webhook may be sent to. Loopback, link-local, private, shared (CGNAT),
 * unspecified and multicast addresses are refused (a webhook URL is a caller's input: it must not
 * reach the service's own network), unless the host, as written in the URL or as resolved, is
 * listed in WEBHOOK_ALLOWED_HOSTS. The check runs on the address the connection is made to (the
 * HTTP client's lookup), so a name that resolves differently the second time gains nothing.
 */
import { BlockList, isIP } from 'node:net';
const refused = new BlockList();
for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
]) {
    refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
]) {
    refused.addSubnet(network, prefix, 'ipv6');
}
/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as the IPv4 address it maps. */
function unmapped(address) {
    const mapped = /^::ffff:([0-9.]+)$/i.exec(address);
    if (mapped)
        return { address: mapped[1], family: 'ipv4' };
    return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}
export class AddressGuard {
    allowed;
    constructor(allowedHosts) {
        this.allowed = new Set(allowedHosts.map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')));
    }
    /** Why `address` (reached as `hostname`) is refused, or undefined when it may be used. */
    refusal(hostname, address) {
        const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
        if (this.allowed.has(host) || this.allowed.has(address.toLowerCase()))
            return undefined;
        const { address: judged, family } = unmapped(address);
        if (!refused.check(judged, family))
            return undefined;
        return `${address} (${hostname}) is a loopback, link-local or private address; list the host in WEBHOOK_ALLOWED_HOSTS to allow it`;
    }
}
//# sourceMappingURL=addressGuard.js.map