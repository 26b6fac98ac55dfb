/** Types for chrome.mjs, imported by the TypeScript end-to-end, interop and bench code. */
export declare const INSTALL_HINT: string;
export declare function findChrome(): string | undefined;
export declare const CHROME_ARGS: string[];
