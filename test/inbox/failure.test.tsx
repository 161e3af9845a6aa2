/**
 * @jest-environment jsdom
 */
import '../support/jsdom-layout.js';
import { describe, expect, it } from '@jest/globals';
import { render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../src/client/api-error.js';
import { translator } from '../../src/inbox/i18n.js';
import { Failure } from '../../src/inbox/parts.js';

/** /inbox's error bar: the kind of "no" in the rep's language first, the store's own (English) words after. */
describe('/inbox error bar', () => {
  const taken = ApiError.of(409, { error: { code: 'taken', message: 'Linda Chen has already taken this conversation' } });

  // First in the file: once the bar's chunk has loaded, every later render uses it at once.
  it("says it at once in a plain alert, then in Fluent's message bar once its chunk is in", async () => {
    const { container } = render(<Failure error={taken} t={translator('en')} />);
    expect(container.querySelector('.tpi-alert')?.getAttribute('role')).toBe('alert');
    await waitFor(() => expect(container.querySelector('.fui-MessageBar')).not.toBeNull());
    expect(container.querySelector('.tpi-alert')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('This clashes with what is stored now. The store says: Linda Chen has already taken this conversation');
  });

  it('says a clash in Chinese to a Chinese rep, then what the store said', () => {
    render(<Failure error={taken} t={translator('zh-CN')} />);
    expect(screen.getByRole('alert').textContent).toBe('此操作与当前已保存的内容冲突。服务器返回：Linda Chen has already taken this conversation');
  });

  it('says "not reachable" when nothing answered, in English to an English rep', () => {
    render(<Failure error={new TypeError('Failed to fetch')} t={translator('en')} />);
    expect(screen.getByRole('alert').textContent).toBe('The store could not be reached. Check the connection and try again. The store says: Failed to fetch');
  });

  it('shows nothing without an error', () => {
    const { container } = render(<Failure error={undefined} t={translator('en')} />);
    expect(container.textContent).toBe('');
  });
});
