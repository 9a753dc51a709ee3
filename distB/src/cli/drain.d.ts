import { type Command } from './command.js';
export declare const drainCommand: Command;
export declare const resumeCommand: Command;
