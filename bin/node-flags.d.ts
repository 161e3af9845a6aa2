/** Types for node-flags.js (plain JavaScript, like the launcher that uses it). */
export declare const SERVER_NODE_FLAGS: readonly string[];
export declare function relaunchArgv(argv?: readonly string[], execArgv?: readonly string[], nodeOptions?: string): string[] | null;
