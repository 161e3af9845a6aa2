import type { BrowserServer, LaunchOptions } from 'playwright-core';
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumLaunchOptions(): LaunchOptions;
export declare function startBrowserServer(): Promise<BrowserServer>;
