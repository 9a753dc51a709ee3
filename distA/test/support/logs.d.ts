import { type Logger } from '../../src/log.js';
export interface CapturedLogs {
    readonly log: Logger;
    readonly lines: string[];
    records(): Record<string, unknown>[];
}
export declare function captureLogs(level?: string): CapturedLogs;
