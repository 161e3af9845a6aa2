/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { act, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { useLoad } from '../../src/admin/context.js';

/**
 * The console says "done" only once its list shows the change: `reload()` resolves when the new
 * answer is on screen (the e2e suites wait for the page, so they would not see this order break).
 */
describe('useLoad reload', () => {
  // Loads the store answers one by one, by hand.
  const answers: ((value: string) => void)[] = [];
  const load = () => new Promise<string>((resolve) => answers.push(resolve));
  let reload!: () => Promise<void>;
  function List() {
    const list = useLoad(load, []);
    useEffect(() => {
      reload = list.reload;
    });
    return <span data-testid="list">{list.data ?? 'loading'}</span>;
  }

  it('resolves after the new answer is rendered, not before; a superseded load hands its waiter on', async () => {
    answers.length = 0;
    render(<List />);
    await act(async () => answers.shift()!('v1'));
    expect(screen.getByTestId('list').textContent).toBe('v1');

    let done = false;
    let seen: string | null = null;
    let first!: Promise<void>;
    act(() => {
      first = reload().then(() => {
        done = true;
        seen = screen.getByTestId('list').textContent;
      });
    });
    // A second reload before the first answer: the first answer is dropped, both wait for the second.
    let second!: Promise<void>;
    act(() => {
      second = reload();
    });
    await act(async () => answers.shift()!('stale'));
    expect(done).toBe(false);
    await act(async () => answers.shift()!('v2'));
    await act(async () => Promise.all([first, second]));
    expect(done).toBe(true);
    expect(seen).toBe('v2');
  });
});
