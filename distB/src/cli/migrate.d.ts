/** `job-runner migrate`: applies pending migrations to DATABASE_URL (or the embedded database), then exits. */
import { type Command } from './command.js';
export declare const migrateCommand: Command;
