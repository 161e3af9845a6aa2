export declare const TEST_DIST: string;
export declare function ensureFacesBuilt(): Promise<string>;
