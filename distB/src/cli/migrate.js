/** `job-runner migrate`: applies pending migrations to DATABASE_URL (or the embedded database), then exits. */
import { CliError, EXIT } from './command.js';
import { loadCliConfig } from './secret.js';
export const migrateCommand = {
    name: 'migrate',
    summary: 'apply pending database migrations (DATABASE_URL, or the embedded database in DATA_DIR)',
    synopsis: '',
    description: 'Applies the migrations the database lacks, in one transaction, and exits. Safe to run while\n' +
        'other instances start (they take turns on an advisory lock); the service also migrates at\n' +
        'start-up, so this is for release phases (Procfile `release:`) and checks.',
    options: {},
    examples: ['DATABASE_URL=postgres://app@db/jobs npx job-runner migrate'],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError('migrate takes no arguments; see job-runner migrate --help', EXIT.usage);
        const config = loadCliConfig(io.env);
        // Loaded here, not at start-up: the database drivers are heavy and the other commands never need them.
        const [{ openDatabase }, { migrate }, { StartupError }] = await Promise.all([
            import('../db/connect.js'),
            import('../db/migrate.js'),
            import('../startupError.js'),
        ]);
        let db;
        try {
            // Waits at most DATABASE_CONNECT_TIMEOUT_SECONDS for a first answer: a silent host is a sentence, not a hang.
            db = await openDatabase({ ...config, connectTimeoutMs: config.databaseConnectTimeoutMs, maxConnections: 1 });
        }
        catch (error) {
            // DataDirLockedError is one too.
            if (error instanceof StartupError)
                throw new CliError(error.message, EXIT.service);
            throw new CliError(`cannot open the database: ${error.message}`, EXIT.service);
        }
        try {
            const { applied } = await migrate(db).catch((error) => {
                throw new CliError(`migrating ${db.description} failed: ${error.message}`, EXIT.service);
            });
            io.stdout.write(applied.length
                ? `applied migrations ${applied.join(', ')} to ${db.description}\n`
                : `${db.description} is up to date\n`);
            return EXIT.ok;
        }
        finally {
            await db.close();
        }
    },
};
//# sourceMappingURL=migrate.js.map