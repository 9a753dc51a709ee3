/**
 * `job-runner start`: the service with the job files of the current project — `JOBS_DIR`, or
 * `./jobs` of the working directory — as an app's Procfile runs it (`web: job-runner start`).
 *
 * `.js` and `.mjs` files are imported as they are. `.ts` files need a loader Node 20 lacks: tsx
 * when the app (or this package) has it installed, or Node's own type stripping where it is on;
 * without either, start-up stops with a sentence saying so, rather than a loader's stack trace.
 * A build that compiles the jobs is the other way: point `JOBS_DIR` at its output.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, EXIT } from './command.js';
export const startCommand = {
    name: 'start',
    summary: 'run the service with the job files of JOBS_DIR (default ./jobs)',
    synopsis: '',
    description: 'Runs the service (the same as the server of this repository) with the job files of JOBS_DIR,\n' +
        'by default ./jobs of the current directory: .js and .mjs as they are, .ts through tsx when the\n' +
        'app has it installed. Every other setting comes from the environment (README "Configuration").\n' +
        'SIGTERM and SIGINT run the graceful shutdown.',
    options: {},
    examples: ['job-runner start', 'JOBS_DIR=dist/jobs DATABASE_URL=postgres://app@db/app job-runner start'],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError('start takes no arguments; see job-runner start --help', EXIT.usage);
        const jobsDir = path.resolve(io.env.JOBS_DIR?.trim() || 'jobs');
        const files = await fs.readdir(jobsDir).catch((error) => {
            if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR')
                throw error;
            throw new CliError(`JOBS_DIR: ${jobsDir} is not a folder; put your job files (export default defineJob({...})) in ./jobs or set JOBS_DIR`, EXIT.usage);
        });
        const typeScriptFiles = files.filter((file) => /\.m?ts$/.test(file) && !/\.d\.m?ts$/.test(file));
        if (typeScriptFiles.length > 0)
            await enableTypeScript(jobsDir, typeScriptFiles);
        // main.ts reads its configuration from process.env when it loads.
        process.env.JOBS_DIR = jobsDir;
        await import('../main.js');
        // The server runs on; main.ts exits the process when it stops.
        return EXIT.ok;
    },
};
/** Makes `import()` of `.ts` files work, or says why it cannot. */
async function enableTypeScript(jobsDir, files) {
    // Node 22.18+ and 23.6+ strip types themselves.
    if (process.features.typescript)
        return;
    const tsxPackage = resolveFrom('tsx/package.json', [
        path.join(jobsDir, 'index.js'),
        path.join(process.cwd(), 'index.js'),
        import.meta.url,
    ]);
    if (tsxPackage === undefined) {
        throw new CliError(`JOBS_DIR (${jobsDir}) has TypeScript job files (${files.join(', ')}) and Node ${process.version} cannot ` +
            'load them by itself: add tsx to the app (npm install tsx), or compile the jobs and point JOBS_DIR at the .js output', EXIT.usage);
    }
    // `require.resolve('tsx/esm/api')` would find its CommonJS build, whose loader does not register
    // from an ES module; the package's own exports map names the ES one.
    const manifest = JSON.parse(await fs.readFile(tsxPackage, 'utf8'));
    const entry = manifest.exports?.['./esm/api'];
    const file = typeof entry === 'object' ? entry.import?.default : undefined;
    if (file === undefined)
        throw new CliError(`${tsxPackage}: this tsx has no tsx/esm/api (tsx 4 or later is needed)`, EXIT.usage);
    const { register } = (await import(pathToFileURL(path.join(path.dirname(tsxPackage), file)).href));
    register();
}
function resolveFrom(specifier, bases) {
    for (const base of bases) {
        try {
            return createRequire(base).resolve(specifier);
        }
        catch {
            // not installed there
        }
    }
    return undefined;
}
//# sourceMappingURL=start.js.map