export declare function projectRoot(): string;
