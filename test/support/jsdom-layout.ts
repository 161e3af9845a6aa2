// jsdom lays nothing out, so nothing ever resizes: an observer that never fires is the honest
// stand-in (Fluent's MessageBar asks for one). Imported by the component tests that render Fluent.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
}

export {};
