import { type Command } from './command.js';
export declare const cancelCommand: Command;
export declare const pauseCommand: Command;
export declare const resumeCommand: Command;
export declare const retryCommand: Command;
export declare const replayCommand: Command;
