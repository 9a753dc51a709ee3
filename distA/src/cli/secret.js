/**
 * The CLI's signing key: `JWT_SECRET` when set, otherwise the development secret the service
 * generated in `DATA_DIR` (embedded mode). Never creates one: a secret the service does not use
 * would only mint tokens it rejects.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { CliError, EXIT } from './command.js';
export function loadCliConfig(env) {
    try {
        return loadConfig(env);
    }
    catch (error) {
        if (error instanceof ConfigError)
            throw new CliError(error.message, EXIT.usage);
        throw error;
    }
}
export async function signingSecret(config) {
    if (config.jwt.secret !== undefined)
        return config.jwt.secret;
    const file = path.join(config.dataDir, 'dev-jwt-secret');
    try {
        return (await fs.readFile(file, 'utf8')).trim();
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
    const keysElsewhere = config.jwt.publicKey !== undefined || config.jwt.jwksUrl !== undefined;
    throw new CliError(keysElsewhere
        ? 'this service verifies tokens with a public key (JWT_PUBLIC_KEY / JWT_JWKS_URL): get a token from its issuer and pass --token or JOB_RUNNER_TOKEN'
        : `cannot mint a token: JWT_SECRET is not set and ${file} does not exist (start the service once with the embedded database, set JWT_SECRET, or pass --token)`, EXIT.usage);
}
export async function mintCliToken(config, { sub, scopes, ttlSeconds }) {
    const { mintToken } = await import('../auth/devToken.js');
    return mintToken({
        secret: await signingSecret(config),
        sub,
        ttlSeconds,
        audience: config.jwt.audience,
        ...(scopes ? { scopes } : {}),
        ...(config.jwt.issuer === undefined ? {} : { issuer: config.jwt.issuer }),
    });
}
//# sourceMappingURL=secret.js.map