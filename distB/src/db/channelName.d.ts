export declare function channelName(schema: string, name: string): string;
