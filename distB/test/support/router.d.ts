export interface TestRouter {
    readonly url: string;
    /** The backends, tried in order (replace them as instances come and go). */
    backends: string[];
    /** Backend URLs each forwarded request went to, in order. */
    readonly forwarded: string[];
    close(): Promise<void>;
}
export declare function startRouter(backends?: string[]): Promise<TestRouter>;
