/** Types for cli-build.js (plain JavaScript so the launcher runs before TypeScript can). */
export declare const ROOT: string;
export declare function freshBuild(root?: string): string | null;
export declare function buildCli(root?: string): Promise<{ out: string; sources: number; ms: number }>;
