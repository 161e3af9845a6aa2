import { describe, expect, it } from '@jest/globals';
import { planDirectorySync, type DirectoryPerson } from '../../../src/core/people/directory.js';

const person = (email: string, fields: Partial<DirectoryPerson['fields']> = {}, pinned: string[] = []): DirectoryPerson => ({
  id: email,
  email,
  pinned,
  fields: { name: 'N', title: null, department: null, phone: null, mobile: null, ...fields },
});

describe('planDirectorySync', () => {
  it('matches by address case-insensitively, collapses spaces, keeps pinned fields and never erases with a blank', () => {
    const plan = planDirectorySync(
      [person('a@x.test', { name: 'Ann', title: 'Sales', mobile: '+1 1' }, ['title']), person('b@x.test', { name: 'Bo' }), person('c@x.test')],
      [
        { email: 'A@X.test', enabled: true, fields: { name: '  Ann   Lee ', title: 'Head of Sales', mobile: '', phone: null } },
        { email: 'b@x.test', enabled: true, fields: { name: 'Bo' } },
        { email: 'new@x.test', enabled: true, fields: { name: 'New' } },
      ],
    );
    expect(plan.people).toEqual([
      { email: 'a@x.test', userId: 'a@x.test', action: 'update', changes: [{ field: 'name', from: 'Ann', to: 'Ann Lee' }], kept: [{ field: 'title', from: 'Sales', to: 'Head of Sales' }] },
      { email: 'b@x.test', userId: 'b@x.test', action: 'unchanged', changes: [], kept: [] },
      { email: 'c@x.test', userId: 'c@x.test', action: 'missing', changes: [], kept: [] },
    ]);
    expect(plan.notHere).toEqual(['new@x.test']);
    expect(plan.counts).toEqual({ update: 1, unchanged: 1, missing: 1, notHere: 1 });
  });

  it('a person whose only difference is pinned is unchanged (the kept value is still reported)', () => {
    const plan = planDirectorySync([person('a@x.test', { title: 'Mine' }, ['title'])], [{ email: 'a@x.test', enabled: true, fields: { name: 'N', title: 'Theirs' } }]);
    expect(plan.people[0]).toMatchObject({ action: 'unchanged', changes: [], kept: [{ field: 'title', from: 'Mine', to: 'Theirs' }] });
  });
});
