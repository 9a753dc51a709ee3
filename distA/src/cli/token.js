/** `job-runner token`: mints an HS256 token for the configured secret (or the development one). */
import { ALL_SCOPES } from '../auth/scopes.js';
import { CliError, EXIT, stringOption } from './command.js';
import { loadCliConfig, mintCliToken } from './secret.js';
const UNITS = { s: 1, m: 60, h: 3600, d: 86400 };
/** `90`, `90s`, `15m`, `12h`, `7d` → seconds. */
export function parseTtl(raw) {
    const match = /^([0-9]+(?:\.[0-9]+)?)([smhd]?)$/.exec(raw.trim());
    const seconds = match ? Number(match[1]) * UNITS[match[2] || 's'] : NaN;
    if (!Number.isFinite(seconds) || seconds < 1)
        throw new CliError(`--ttl must be a duration like 3600, 90s, 15m, 12h or 7d, not ${JSON.stringify(raw)}`, EXIT.usage);
    return Math.round(seconds);
}
export function parseScopes(raw) {
    const scopes = raw.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length > 0)
        throw new CliError(`unknown scope ${unknown.join(', ')}: use ${ALL_SCOPES.join(', ')}`, EXIT.usage);
    return [...new Set(scopes)];
}
export const tokenCommand = {
    name: 'token',
    summary: 'mint a token for the configured JWT_SECRET (or the development secret in DATA_DIR)',
    synopsis: '[--sub SUB] [--scope SCOPES] [--ttl DURATION]',
    description: 'Prints a signed HS256 token on stdout. The secret is JWT_SECRET, or the development secret\n' +
        'that the service generated in DATA_DIR when it runs on the embedded database. JWT_AUDIENCE\n' +
        'and JWT_ISSUER are honoured. Jobs enqueued with the token belong to its subject.',
    options: {
        sub: { type: 'string', description: 'subject: the owner of the jobs it enqueues (default dev)' },
        scope: {
            type: 'string',
            multiple: true,
            description: `scopes, space- or comma-separated, repeatable (default: ${ALL_SCOPES.join(' ')})`,
            valueName: 'SCOPES',
        },
        ttl: { type: 'string', description: 'lifetime: seconds, or 15m, 12h, 7d (default 24h)', valueName: 'DURATION' },
    },
    examples: [
        'export JOB_RUNNER_TOKEN=$(npx job-runner token)',
        'npx job-runner token --sub billing --scope "jobs:read jobs:write" --ttl 1h',
    ],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError(`token takes no arguments (got ${args.positionals.join(' ')}); see job-runner token --help`, EXIT.usage);
        const sub = stringOption(args, 'sub') ?? 'dev';
        if (sub.trim() === '')
            throw new CliError('--sub must not be empty', EXIT.usage);
        const scopeArgs = args.values.scope;
        const scopes = scopeArgs === undefined ? undefined : parseScopes(scopeArgs);
        if (scopes !== undefined && scopes.length === 0)
            throw new CliError('--scope names no scope', EXIT.usage);
        const ttlSeconds = parseTtl(stringOption(args, 'ttl') ?? '24h');
        const config = loadCliConfig(io.env);
        io.stdout.write(`${await mintCliToken(config, { sub, ttlSeconds, ...(scopes ? { scopes } : {}) })}\n`);
        return EXIT.ok;
    },
};
//# sourceMappingURL=token.js.map