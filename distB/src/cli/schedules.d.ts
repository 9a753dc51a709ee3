import type { Schedule } from '../schedules/schedule.js';
import { type Command } from './command.js';
export declare const schedulesCommand: Command;
export declare function describeSchedule(schedule: Schedule): string;
