/**
 * Imported first by the event bundle. Classic Outlook on Windows builds before 2403 run the
 * handlers in a JavaScript-only runtime with ES2016 built-ins, where `globalThis` (ES2020) may be
 * missing, and the Office adapter reads `globalThis.Office`. The global object is found without
 * eval (the runtime may refuse it): a getter on Object.prototype, reached through an unqualified
 * name, runs with the global object as `this`.
 */
declare const __tradepaneGlobalObject__: object;

if (typeof globalThis !== 'object') {
  Object.defineProperty(Object.prototype, '__tradepaneGlobalObject__', {
    get(this: object) {
      return this;
    },
    configurable: true,
  });
  try {
    const global = __tradepaneGlobalObject__ as { globalThis?: object };
    Object.defineProperty(global, 'globalThis', { value: global, writable: true, configurable: true });
  } finally {
    delete (Object.prototype as { __tradepaneGlobalObject__?: unknown }).__tradepaneGlobalObject__;
  }
}

export {};
