export declare class AddressGuard {
    private readonly allowed;
    constructor(allowedHosts: readonly string[]);
    /** Why `address` (reached as `hostname`) is refused, or undefined when it may be used. */
    refusal(hostname: string, address: string): string | undefined;
}
