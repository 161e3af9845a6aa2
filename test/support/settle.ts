import { expect } from '@jest/globals';
import type { Locator } from 'playwright-core';

/** How long a settling read waits for the page to show what the test expects. */
const SETTLE_MS = 15_000;

type TextRead = 'innerText' | 'textContent' | 'inputValue';

/**
 * Reads a locator's text the way a person looks at a page: after an action the page settles
 * (a list is read again, a notice appears), so the read waits, on animation frames, until the
 * text is what the test expects, then asserts with jest. If it never gets there the assertion
 * fails on the text as it is, so the message shows the difference. A read straight after a click
 * raced the page more than once in CI.
 */
export function expectText(locator: Locator, read: TextRead = 'innerText'): { toBe(expected: string): Promise<void>; toContain(expected: string): Promise<void>; toMatch(expected: RegExp): Promise<void> } {
  const settle = async (test: { kind: 'is' | 'contains' | 'matches'; text: string; flags?: string }): Promise<string> => {
    const deadline = Date.now() + SETTLE_MS;
    try {
      // React may put a new element in the old one's place: then look again through the locator.
      for (let left = SETTLE_MS; left > 0; left = deadline - Date.now()) {
        const element = await locator.elementHandle({ timeout: left });
        const outcome = await locator.page().waitForFunction(
          ({ element: el, read: how, test: want }) => {
            const node = el as (HTMLElement & { value?: string }) | null;
            if (!node?.isConnected) return 'replaced';
            const text = how === 'inputValue' ? (node.value ?? '') : how === 'textContent' ? (node.textContent ?? '') : node.innerText;
            const ok = want.kind === 'is' ? text === want.text : want.kind === 'contains' ? text.includes(want.text) : new RegExp(want.text, want.flags).test(text);
            return ok ? 'shown' : false;
          },
          { element, read, test },
          { timeout: Math.max(1, deadline - Date.now()) },
        );
        if ((await outcome.jsonValue()) === 'shown') break;
      }
    } catch {
      // Not there in time: the assertion below fails on what the page shows.
    }
    return read === 'inputValue' ? locator.inputValue() : read === 'textContent' ? ((await locator.textContent()) ?? '') : locator.innerText();
  };
  return {
    toBe: async (expected) => void expect(await settle({ kind: 'is', text: expected })).toBe(expected),
    toContain: async (expected) => void expect(await settle({ kind: 'contains', text: expected })).toContain(expected),
    toMatch: async (expected) => void expect(await settle({ kind: 'matches', text: expected.source, flags: expected.flags.replace('g', '') })).toMatch(expected),
  };
}

/**
 * How many elements a locator finds, once the page has settled on `expected`: the n-th is there
 * and the (n+1)-th is not, both waited for as events; else the count as it is, for the message.
 */
export async function expectCount(locator: Locator, expected: number): Promise<void> {
  try {
    if (expected > 0) await locator.nth(expected - 1).waitFor({ state: 'attached', timeout: SETTLE_MS });
    await locator.nth(expected).waitFor({ state: 'detached', timeout: SETTLE_MS });
  } catch {
    // Not there in time: the assertion below fails on the count as it is.
  }
  expect(await locator.count()).toBe(expected);
}
